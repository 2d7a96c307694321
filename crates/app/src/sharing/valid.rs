//! What an indicator is, validated from what a poster sends.

use chrono::{DateTime, Utc};
use irnet_domain::Tlp;
use irnet_domain::ids::{AlertId, IncidentId};
use irnet_domain::incident::ObservableKind;
use irnet_interop::stix::pattern;
use irnet_interop::{IndicatorValue, Observable};

use super::ObservableIo;
use crate::error::Problems;
use crate::{App, AppError};

/// A new indicator, or a new version of one the organisation already holds for the same value.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct NewIndicator {
    /// typed values, any of which matches (give these or `pattern`)
    #[serde(default)]
    pub observables: Vec<ObservableIo>,
    /// a STIX 2.1 pattern; kept as written unless it is a plain list of values
    pub pattern: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    /// TLP 2.0; default AMBER
    pub tlp: Option<String>,
    /// 0–100
    pub confidence: Option<i32>,
    /// RFC 3339; default now
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub incident_id: Option<String>,
    pub alert_id: Option<String>,
}

/// What an indicator is, validated: shared by the API, STIX and MISP imports.
#[derive(Debug, Clone)]
pub(crate) struct Valid {
    pub value: IndicatorValue,
    pub pattern: String,
    pub name: String,
    pub description: Option<String>,
    pub tlp: Tlp,
    pub confidence: Option<i32>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: Option<DateTime<Utc>>,
    pub revoked: bool,
    /// false for context (a MISP attribute not "for intrusion detection")
    pub to_ids: bool,
    pub incident_id: Option<IncidentId>,
    pub alert_id: Option<AlertId>,
    /// the producer's STIX id, kept when the indicator is new
    pub stix_id: Option<String>,
}

fn time(p: &mut Problems, field: &str, s: Option<&str>) -> Option<DateTime<Utc>> {
    let s = s.map(str::trim).filter(|s| !s.is_empty())?;
    match DateTime::parse_from_rfc3339(s) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(_) => {
            p.add(field, "invalid_datetime");
            None
        }
    }
}

pub(crate) fn clean(s: Option<&str>) -> Option<String> {
    s.map(|v| irnet_domain::text::nfc(v.trim()))
        .filter(|v| !v.is_empty())
}

pub(crate) fn validate(app: &App, n: &NewIndicator) -> Result<Valid, AppError> {
    let mut p = Problems::default();
    let mut list = Vec::new();
    for (i, o) in n.observables.iter().enumerate() {
        let kind = p.check(
            &format!("observables[{i}].kind"),
            ObservableKind::parse(&o.kind),
        );
        if let Some(kind) = kind
            && let Some(v) = p.check(
                &format!("observables[{i}].value"),
                Observable::parse(kind, &o.value),
            )
        {
            list.push(v);
        }
    }
    let pattern_in = clean(n.pattern.as_deref());
    let value = match (&pattern_in, n.observables.is_empty()) {
        (Some(_), false) | (None, true) => {
            p.add("observables", "observables_or_pattern");
            None
        }
        (Some(pat), true) => {
            if pattern::well_formed(pat) {
                Some(pattern::indicator_value(pat))
            } else {
                p.add("pattern", "invalid_pattern");
                None
            }
        }
        (None, false) => Some(IndicatorValue::Observables(list)),
    };
    let tlp = p.check("tlp", Tlp::parse(n.tlp.as_deref().unwrap_or("AMBER")));
    if n.confidence.is_some_and(|c| !(0..=100).contains(&c)) {
        p.add("confidence", "out_of_range");
    }
    let valid_from = time(&mut p, "valid_from", n.valid_from.as_deref());
    let valid_until = time(&mut p, "valid_until", n.valid_until.as_deref());
    let from = valid_from.unwrap_or_else(|| app.now());
    if valid_until.is_some_and(|u| u <= from) {
        p.add("valid_until", "not_after_valid_from");
    }
    let name = clean(n.name.as_deref());
    if name.as_ref().is_some_and(|s| s.chars().count() > 300) {
        p.add("name", "invalid_length");
    }
    p.into_result()?;
    let (Some(value), Some(tlp)) = (value, tlp) else {
        return Err(AppError::internal("validated indicator incomplete"));
    };
    let value = value.normalised();
    let pattern = match &value {
        IndicatorValue::Observables(list) => pattern::to_pattern(list),
        IndicatorValue::StixPattern(pat) => pat.clone(),
    };
    Ok(Valid {
        name: name.unwrap_or_else(|| pattern.clone()),
        value,
        pattern,
        description: clean(n.description.as_deref()),
        tlp,
        confidence: n.confidence,
        valid_from: from,
        valid_until,
        revoked: false,
        to_ids: true,
        // compared as given: an id in another spelling is not one we stored (unknown below)
        incident_id: clean(n.incident_id.as_deref()).map(IncidentId::from_trusted),
        alert_id: clean(n.alert_id.as_deref()).map(AlertId::from_trusted),
        stix_id: None,
    })
}
