//! Completing a quick notice into the initial report: every field of Mẫu 03 beyond the notice's
//! own. Kept as one validated document on the incident (`incidents.report`); filing the initial
//! report (`reports::file`) freezes a numbered copy of it.

use irnet_domain::ids::IncidentId;
use irnet_domain::net::{DomainName, IpRange};
use irnet_store::time::to_db;

use super::{IncidentView, clean, event, require, save, system_of, with_incident};
use crate::audit::{self, Change};
use crate::error::Problems;
use crate::{Actor, App, AppError};

#[derive(
    Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(default)]
pub struct Contact {
    pub name: Option<String>,
    pub title: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The fields of Mẫu 03 that the quick notice does not carry.
#[derive(
    Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(default)]
pub struct InitialReportFields {
    pub reporter: Contact,
    pub operator: Contact,
    pub owner: Contact,
    pub security_provider: Option<String>,
    pub connectivity_provider: Option<String>,
    pub system_purpose: Option<String>,
    /// the form's checklist "incident status" (keys: `ongoing`, `contained`, `recovered`, `unknown`)
    pub status_checklist: Vec<String>,
    /// how it was detected (keys: `monitoring`, `user_report`, `third_party`, `coordinator_alert`, `other`)
    pub detection_methods: Vec<String>,
    /// who was already notified (keys: `owner`, `coordinator`, `department_in_charge`, `police`, `isp`, `other`)
    pub notified: Vec<String>,
    pub os: Option<String>,
    pub services: Vec<String>,
    pub security_measures: Vec<String>,
    /// public IP addresses or ranges of the system (validated)
    pub public_ips: Vec<String>,
    /// its domain names (validated)
    pub domains: Vec<String>,
    pub confidential: bool,
    pub support_requested: Option<String>,
    pub actions_taken: Option<String>,
    pub assisting_orgs: Vec<String>,
    pub initial_result: Option<String>,
}

pub const STATUS_OPTIONS: [&str; 4] = ["ongoing", "contained", "recovered", "unknown"];
pub const DETECTION_OPTIONS: [&str; 5] = [
    "monitoring",
    "user_report",
    "third_party",
    "coordinator_alert",
    "other",
];
pub const NOTIFIED_OPTIONS: [&str; 6] = [
    "owner",
    "coordinator",
    "department_in_charge",
    "police",
    "isp",
    "other",
];

/// What the report form sends: the notice's fields may be corrected along with the rest.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct ReportUpdate {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub system_id: Option<String>,
    #[serde(default)]
    pub fields: InitialReportFields,
}

fn options(p: &mut Problems, field: &str, values: &[String], allowed: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, v) in values.iter().enumerate() {
        if allowed.contains(&v.as_str()) {
            if !out.contains(v) {
                out.push(v.clone());
            }
        } else {
            p.add(&format!("{field}[{i}]"), "invalid_option");
        }
    }
    out
}

fn contact(p: &mut Problems, field: &str, c: &Contact) -> Contact {
    let email = clean(c.email.as_deref()).and_then(|e| {
        p.check(&format!("{field}.email"), irnet_domain::Email::parse(&e))
            .map(|e| e.as_str().to_owned())
    });
    Contact {
        name: clean(c.name.as_deref()),
        title: clean(c.title.as_deref()),
        address: clean(c.address.as_deref()),
        phone: clean(c.phone.as_deref()),
        email,
    }
}

fn texts(values: &[String]) -> Vec<String> {
    values.iter().filter_map(|v| clean(Some(v))).collect()
}

pub(crate) fn validate(f: &InitialReportFields) -> Result<InitialReportFields, AppError> {
    let mut p = Problems::default();
    let out = InitialReportFields {
        reporter: contact(&mut p, "fields.reporter", &f.reporter),
        operator: contact(&mut p, "fields.operator", &f.operator),
        owner: contact(&mut p, "fields.owner", &f.owner),
        security_provider: clean(f.security_provider.as_deref()),
        connectivity_provider: clean(f.connectivity_provider.as_deref()),
        system_purpose: clean(f.system_purpose.as_deref()),
        status_checklist: options(
            &mut p,
            "fields.status_checklist",
            &f.status_checklist,
            &STATUS_OPTIONS,
        ),
        detection_methods: options(
            &mut p,
            "fields.detection_methods",
            &f.detection_methods,
            &DETECTION_OPTIONS,
        ),
        notified: options(&mut p, "fields.notified", &f.notified, &NOTIFIED_OPTIONS),
        os: clean(f.os.as_deref()),
        services: texts(&f.services),
        security_measures: texts(&f.security_measures),
        public_ips: f
            .public_ips
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                p.check(&format!("fields.public_ips[{i}]"), IpRange::parse(v))
                    .map(|r| r.to_string())
            })
            .collect(),
        domains: f
            .domains
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                p.check(&format!("fields.domains[{i}]"), DomainName::parse(v))
                    .map(|d| d.as_str().to_owned())
            })
            .collect(),
        confidential: f.confidential,
        support_requested: clean(f.support_requested.as_deref()),
        actions_taken: clean(f.actions_taken.as_deref()),
        assisting_orgs: texts(&f.assisting_orgs),
        initial_result: clean(f.initial_result.as_deref()),
    };
    p.into_result()?;
    Ok(out)
}

/// Completes or corrects the report's fields (the owner, while the incident is open).
pub async fn update(
    app: &App,
    actor: &Actor,
    id: &IncidentId,
    input: ReportUpdate,
) -> Result<IncidentView, AppError> {
    let fields = validate(&input.fields)?;
    let title = match input.title.as_deref().map(str::trim) {
        Some("") => return Err(AppError::invalid("title", "invalid_length")),
        Some(t) if t.chars().count() > 300 => {
            return Err(AppError::invalid("title", "invalid_length"));
        }
        t => t.map(irnet_domain::text::nfc),
    };
    with_incident(app, actor, id, move |conn, app, actor, l| {
        require(l.abilities(actor).manage)?;
        let r = &mut l.row;
        if let Some(t) = title {
            r.title = t;
        }
        if input.summary.is_some() {
            r.summary = clean(input.summary.as_deref());
        }
        if let Some(s) = clean(input.system_id.as_deref()) {
            let level = system_of(conn, &r.owner_org_id, Some(&s))?;
            r.system_id = Some(s);
            r.system_level = level;
        }
        r.report = serde_json::to_string(&fields).map_err(AppError::internal)?;
        super::deadlines::refresh_serious(conn, app, r)?;
        r.updated_at = to_db(app.now());
        save(conn, app, r)?;
        event(
            conn,
            app,
            actor,
            &r.id,
            "report_updated",
            None,
            serde_json::json!({}),
        )?;
        audit::record(
            conn,
            app,
            actor,
            Change {
                action: "incident.report_updated",
                object_type: "incident",
                object_id: Some(r.id.as_str()),
                object_org_id: Some(&r.owner_org_id),
                summary: serde_json::json!({ "title": r.title }),
            },
        )
    })
    .await
}
