//! Incident types: data, not code. The defaults (`data/incident-types.csv`) are the types of the
//! periodic statistics form (Mẫu 05), each mapped to the Reference Security Incident Taxonomy
//! that CSIRTs exchange; an operator may load another list (`Settings::incident_types`).

use crate::Settings;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct IncidentType {
    pub key: String,
    pub name_vi: String,
    pub name_en: String,
    /// class/type in the Reference Security Incident Taxonomy
    pub reference_taxonomy: String,
}

const DEFAULTS: &str = include_str!("../../../../data/incident-types.csv");

/// Parses a types file: a header, then `key,name_vi,name_en,reference_taxonomy`.
pub fn parse(csv_text: &str) -> Result<Vec<IncidentType>, String> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let mut out = Vec::new();
    for (n, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| format!("line {}: {e}", n + 2))?;
        let field = |i: usize| rec.get(i).map(str::trim).unwrap_or_default().to_owned();
        let t = IncidentType {
            key: field(0),
            name_vi: field(1),
            name_en: field(2),
            reference_taxonomy: field(3),
        };
        if t.key.is_empty() || t.name_vi.is_empty() {
            return Err(format!("line {}: key and name_vi are required", n + 2));
        }
        out.push(t);
    }
    Ok(out)
}

pub fn defaults() -> Vec<IncidentType> {
    parse(DEFAULTS).unwrap_or_default()
}

pub fn find<'a>(settings: &'a Settings, key: &str) -> Option<&'a IncidentType> {
    settings.incident_types.iter().find(|t| t.key == key)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn the_default_types_load_with_distinct_keys() {
        let t = super::parse(super::DEFAULTS).unwrap();
        assert_eq!(t.len(), 10);
        let mut keys: Vec<_> = t.iter().map(|t| t.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 10);
        assert!(
            t.iter()
                .any(|t| t.key == "defacement" && t.name_vi == "Thay đổi giao diện")
        );
    }
}
