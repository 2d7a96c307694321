//! Official documents the network exchanges, built as DOCX in the layout of the forms: the
//! incident reports Mẫu 03 (initial) and Mẫu 04 (closing), and the periodic statistics Mẫu 05
//! (also as XLSX). `word` holds the building blocks every form shares, also those of Mẫu 01 (the
//! member profile, `directory::profile_document`, beside the profile it renders); each form is its
//! own module. The forms here take plain data (no database access, no pillar's types), so that the
//! incidents pillar fills them from whatever it stores.

pub mod closing_report;
pub mod initial_report;
pub mod statistics;
pub mod word;

/// One option of a form's checklist, with its box ticked or not.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    pub label: String,
    pub checked: bool,
}

impl Check {
    pub fn new(label: impl Into<String>, checked: bool) -> Self {
        Self {
            label: label.into(),
            checked,
        }
    }
}

/// Who signs a form: the title above the signature ("Giám đốc") and the name under it. Without
/// one the form shows "THỦ TRƯỞNG ĐƠN VỊ" and room for a hand-written name.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Signer {
    pub title: String,
    pub name: String,
}
