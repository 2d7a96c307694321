//! What kind of body an organisation is. The directory pillar uses it to address alerts to "all
//! provincial departments" and to tell the coordinator apart.

use crate::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    NationalCoordinator,
    StateAuthority,
    MinistryUnit,
    ProvincialDepartment,
    Enterprise,
    Other,
}

impl OrgKind {
    pub const ALL: [OrgKind; 6] = [
        OrgKind::NationalCoordinator,
        OrgKind::StateAuthority,
        OrgKind::MinistryUnit,
        OrgKind::ProvincialDepartment,
        OrgKind::Enterprise,
        OrgKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::NationalCoordinator => "national_coordinator",
            OrgKind::StateAuthority => "state_authority",
            OrgKind::MinistryUnit => "ministry_unit",
            OrgKind::ProvincialDepartment => "provincial_department",
            OrgKind::Enterprise => "enterprise",
            OrgKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<OrgKind, DomainError> {
        OrgKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| DomainError::InvalidOrgKind(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_unknown_kinds_are_refused() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.as_str()), Ok(k));
        }
        assert!(OrgKind::parse("ministry").is_err());
    }
}
