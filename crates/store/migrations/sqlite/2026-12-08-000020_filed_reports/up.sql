-- What was filed, frozen: a report's data as of its filing and the document bytes then rendered,
-- so that a download years later returns exactly what was sent, whatever changed since.
CREATE TABLE filed_reports (
    id TEXT PRIMARY KEY NOT NULL,
    -- mau_03, mau_04, mau_05, mau_01
    kind TEXT NOT NULL,
    -- incident or organisation
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    -- Mẫu 05: "2024-H1", "2024-Y"; empty for the others
    period TEXT NOT NULL DEFAULT '',
    -- the incident report this files (incident_reports.id), when there is one
    report_id TEXT,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    number TEXT NOT NULL,
    version INTEGER NOT NULL,
    -- the office's own document number, place, recipients (JSON list) and signer
    document_number TEXT,
    place TEXT,
    recipients TEXT NOT NULL,
    signer_title TEXT,
    signer_name TEXT,
    filed_at TIMESTAMP NOT NULL,
    filed_by TEXT NOT NULL REFERENCES users (id),
    data TEXT NOT NULL,
    docx BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    xlsx BLOB,
    xlsx_sha256 TEXT
);
CREATE UNIQUE INDEX filed_reports_version ON filed_reports (kind, subject_type, subject_id, period, version);
CREATE UNIQUE INDEX filed_reports_number ON filed_reports (number);
CREATE INDEX filed_reports_report ON filed_reports (report_id);

-- Mẫu 03 asks for the affected system's operating system and its version.
ALTER TABLE information_systems ADD COLUMN os TEXT;
ALTER TABLE information_systems ADD COLUMN os_version TEXT;
