//! The member profile (Mẫu 01): the fixed choices of its incident response team, capabilities and
//! staff counts, and the default skills taxonomy that support requests will match on.
//!
//! The taxonomy is data, not logic: a new skill is one more line in `SKILLS` (with its labels),
//! and nothing else needs to change.

use crate::DomainError;

/// A role in a member's incident response team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TeamRole {
    Leader,
    Deputy,
    Member,
    Expert,
}

impl TeamRole {
    pub const ALL: [TeamRole; 4] = [
        TeamRole::Leader,
        TeamRole::Deputy,
        TeamRole::Member,
        TeamRole::Expert,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TeamRole::Leader => "leader",
            TeamRole::Deputy => "deputy",
            TeamRole::Member => "member",
            TeamRole::Expert => "expert",
        }
    }

    pub fn parse(s: &str) -> Result<TeamRole, DomainError> {
        TeamRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| DomainError::InvalidTeamRole(s.to_owned()))
    }
}

/// How well a member masters a skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkillLevel {
    Basic,
    Intermediate,
    Advanced,
}

impl SkillLevel {
    pub const ALL: [SkillLevel; 3] = [
        SkillLevel::Basic,
        SkillLevel::Intermediate,
        SkillLevel::Advanced,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SkillLevel::Basic => "basic",
            SkillLevel::Intermediate => "intermediate",
            SkillLevel::Advanced => "advanced",
        }
    }

    pub fn parse(s: &str) -> Result<SkillLevel, DomainError> {
        SkillLevel::ALL
            .into_iter()
            .find(|l| l.as_str() == s.trim())
            .ok_or_else(|| DomainError::InvalidSkillLevel(s.to_owned()))
    }
}

/// One skill of the taxonomy, with its labels in both languages of the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Skill {
    pub code: &'static str,
    pub label_vi: &'static str,
    pub label_en: &'static str,
}

/// The default taxonomy of capabilities and skills.
pub const SKILLS: [Skill; 12] = [
    Skill {
        code: "incident_handling",
        label_vi: "Xử lý sự cố",
        label_en: "Incident handling",
    },
    Skill {
        code: "forensics",
        label_vi: "Điều tra số",
        label_en: "Digital forensics",
    },
    Skill {
        code: "malware_analysis",
        label_vi: "Phân tích mã độc",
        label_en: "Malware analysis",
    },
    Skill {
        code: "log_analysis",
        label_vi: "Phân tích nhật ký",
        label_en: "Log analysis",
    },
    Skill {
        code: "penetration_testing",
        label_vi: "Kiểm thử xâm nhập",
        label_en: "Penetration testing",
    },
    Skill {
        code: "web_security",
        label_vi: "An toàn ứng dụng web",
        label_en: "Web application security",
    },
    Skill {
        code: "network_security",
        label_vi: "An toàn mạng",
        label_en: "Network security",
    },
    Skill {
        code: "os_hardening",
        label_vi: "Gia cố hệ điều hành",
        label_en: "Operating system hardening",
    },
    Skill {
        code: "cloud_security",
        label_vi: "An toàn điện toán đám mây",
        label_en: "Cloud security",
    },
    Skill {
        code: "ot_ics",
        label_vi: "An toàn hệ thống điều khiển công nghiệp (OT/ICS)",
        label_en: "OT/ICS security",
    },
    Skill {
        code: "threat_intelligence",
        label_vi: "Tình báo mối đe dọa",
        label_en: "Threat intelligence",
    },
    Skill {
        code: "training",
        label_vi: "Đào tạo, diễn tập",
        label_en: "Training and drills",
    },
];

pub fn skill(code: &str) -> Result<Skill, DomainError> {
    SKILLS
        .into_iter()
        .find(|s| s.code == code.trim())
        .ok_or_else(|| DomainError::UnknownSkill(code.to_owned()))
}

/// The fields staff are counted by.
pub const STAFF_FIELDS: [&str; 3] = ["it", "security", "other"];
/// The degrees staff are counted by, highest first.
pub const STAFF_DEGREES: [&str; 5] = ["doctorate", "master", "bachelor", "college", "other"];

/// The largest head count a member may report in one line (far above any real team; it keeps
/// typing slips such as an extra zero from passing silently into the statistics).
pub const MAX_STAFF_COUNT: i64 = 100_000;

pub fn staff_count(n: i64) -> Result<i32, DomainError> {
    if (0..=MAX_STAFF_COUNT).contains(&n) {
        i32::try_from(n).map_err(|_| DomainError::InvalidStaffCount(n))
    } else {
        Err(DomainError::InvalidStaffCount(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_round_trip_and_unknown_ones_are_refused() {
        for r in TeamRole::ALL {
            assert_eq!(TeamRole::parse(r.as_str()), Ok(r));
        }
        for l in SkillLevel::ALL {
            assert_eq!(SkillLevel::parse(l.as_str()), Ok(l));
        }
        assert!(TeamRole::parse("boss").is_err());
        assert!(SkillLevel::parse("expert").is_err());
        assert_eq!(skill("forensics").map(|s| s.label_vi), Ok("Điều tra số"));
        assert!(skill("astrology").is_err());
    }

    #[test]
    fn skill_codes_are_unique_snake_case() {
        let mut codes: Vec<&str> = SKILLS.iter().map(|s| s.code).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'))
        );
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), SKILLS.len());
    }

    #[test]
    fn staff_counts_are_bounded() {
        assert_eq!(staff_count(0), Ok(0));
        assert_eq!(staff_count(12), Ok(12));
        assert!(staff_count(-1).is_err());
        assert!(staff_count(MAX_STAFF_COUNT + 1).is_err());
    }
}
