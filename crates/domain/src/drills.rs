//! Drills: exercises the network runs (scenario drills with injects and a scoreboard, live-fire
//! drills against a real system) or takes part in elsewhere (external drills, recorded with each
//! member's published rank). The pure rules live here: the kinds, the state machine, the roles
//! inside a drill, how an answer is compared, and how teams are ranked. Who may see or do what is
//! decided in `policy.rs` from these types.

use chrono::NaiveDateTime;

use crate::error::DomainError;

macro_rules! closed_list {
    ($(#[$doc:meta])* $name:ident, $what:literal, $code:literal, [$($variant:ident => $text:literal),+ $(,)?]) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "diesel", derive(diesel::AsExpression, diesel::FromSqlRow))]
        #[cfg_attr(feature = "diesel", diesel(sql_type = diesel::sql_types::Text))]
        pub enum $name {
            $($variant),+
        }

        #[cfg(feature = "diesel")]
        crate::sql::stored_as_text!($name, |s| s.as_str(), |s| crate::sql::one_of(
            &$name::ALL,
            $name::as_str,
            $what,
            &s
        ));

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Exact lowercase names, as the API and the forms send them.
            pub fn parse(s: &str) -> Result<$name, DomainError> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|x| x.as_str() == s.trim())
                    .ok_or(DomainError::Invalid($code))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

closed_list!(
    /// What kind of drill: run inside irnet with injects (scenario), red teams against a real
    /// system (live-fire, part 2), or run elsewhere and recorded with its results (external).
    Kind, "drill kind", "invalid_drill_kind",
    [Scenario => "scenario", LiveFire => "live_fire", External => "external"]
);

closed_list!(
    /// Where a drill stands. Answers are taken while open or frozen; a frozen drill hides from
    /// participants what changed after the freeze; published makes the final standings public
    /// to everyone in the drill.
    State, "drill state", "invalid_drill_state",
    [Planned => "planned", Open => "open", Frozen => "frozen", Closed => "closed", Published => "published"]
);

closed_list!(
    /// A part someone plays in one drill. Granted per drill, to an organisation (a member team:
    /// all its people) or to one person; it reaches that drill only. Ordered weakest first, so
    /// that a person holding several takes the strongest.
    DrillRole, "drill role", "invalid_drill_role",
    [Participant => "participant", Observer => "observer", Judge => "judge", Organiser => "organiser"]
);

closed_list!(
    /// One event of a scenario drill's scoring ledger. The standings are the sum of the ledger.
    LedgerEvent, "ledger event", "invalid_ledger_event",
    [AnswerCorrect => "answer_correct", AnswerWrong => "answer_wrong", Award => "award", Penalty => "penalty"]
);

impl State {
    /// The moves a drill may make: the timeline forwards, and a frozen drill may be unfrozen
    /// (which reveals at once what the freeze hid).
    pub fn may_become(self, to: State) -> bool {
        use State::*;
        matches!(
            (self, to),
            (Planned, Open)
                | (Open, Frozen)
                | (Frozen, Open)
                | (Open, Closed)
                | (Frozen, Closed)
                | (Closed, Published)
        )
    }

    /// The state after the move to `to`, or `invalid_transition`.
    pub fn become_(self, to: State) -> Result<State, DomainError> {
        if self.may_become(to) {
            Ok(to)
        } else {
            Err(DomainError::Invalid("invalid_transition"))
        }
    }

    /// Teams may answer injects.
    pub fn takes_answers(self) -> bool {
        matches!(self, State::Open | State::Frozen)
    }

    /// Injects and teams may still be added: before the drill starts or while it takes answers
    /// (once closed, its board is final and its "x out of N" must not move).
    pub fn open_to_changes(self) -> bool {
        self.takes_answers() || !self.has_started()
    }

    /// Injects may be released to teams (a planned drill shows them nothing yet).
    pub fn has_started(self) -> bool {
        self != State::Planned
    }

    /// The states an organiser may move to from here, in timeline order.
    pub fn next_states(self) -> Vec<State> {
        State::ALL
            .iter()
            .copied()
            .filter(|t| self.may_become(*t))
            .collect()
    }
}

impl DrillRole {
    /// Sees injects before their release time and the live standings during a freeze.
    pub fn sees_behind_the_scenes(self) -> bool {
        matches!(self, DrillRole::Judge | DrillRole::Organiser)
    }
}

/// Where a drill's window sits, in the time zone it was announced in (the network's is UTC+7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// both in UTC
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    /// the zone the window is shown in, as minutes east of UTC
    pub utc_offset_minutes: i32,
}

impl Window {
    /// A window ends after it starts; the zone is one of the world's (−12:00 to +14:00).
    pub fn new(
        starts_at: NaiveDateTime,
        ends_at: NaiveDateTime,
        utc_offset_minutes: i32,
    ) -> Result<Window, DomainError> {
        if ends_at <= starts_at {
            return Err(DomainError::Invalid("ends_before_start"));
        }
        if !(-12 * 60..=14 * 60).contains(&utc_offset_minutes) {
            return Err(DomainError::Invalid("invalid_utc_offset"));
        }
        Ok(Window {
            starts_at,
            ends_at,
            utc_offset_minutes,
        })
    }
}

/// An answer as compared: NFC, trimmed, lowercase, inner whitespace runs as one space. Teams
/// type on different keyboards (some send NFD) and paste with stray spaces; none of that should
/// decide a score.
pub fn normalise_answer(s: &str) -> String {
    crate::text::nfc(s)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The accepted answers of an inject, normalised, without empties or repeats; at least one.
pub fn accepted_answers<S: AsRef<str>>(answers: &[S]) -> Result<Vec<String>, DomainError> {
    let mut out: Vec<String> = Vec::new();
    for a in answers {
        let n = normalise_answer(a.as_ref());
        if !n.is_empty() && !out.contains(&n) {
            out.push(n);
        }
    }
    if out.is_empty() {
        return Err(DomainError::Invalid("no_accepted_answer"));
    }
    Ok(out)
}

/// Whether `given` matches one of the (normalised) accepted answers.
pub fn is_correct(accepted: &[String], given: &str) -> bool {
    let n = normalise_answer(given);
    accepted.contains(&n)
}

/// A team's total as the standings hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score<T> {
    pub team: T,
    pub score: i64,
    /// when the team reached its score (its last change); none before its first points
    pub last_score_at: Option<NaiveDateTime>,
}

/// Teams in rank order: the higher score first; at equal scores, the team that reached it first
/// (a team with no points yet after any that has). Ranks are 1-based positions ("3/63").
pub fn ranked<T: Ord + Clone>(scores: &[Score<T>]) -> Vec<(u32, Score<T>)> {
    let mut v: Vec<Score<T>> = scores.to_vec();
    v.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| match (a.last_score_at, b.last_score_at) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.team.cmp(&b.team))
    });
    v.into_iter()
        .enumerate()
        .map(|(i, s)| (u32::try_from(i + 1).unwrap_or(u32::MAX), s))
        .collect()
}

/// A rank as published, "x out of N": 1 ≤ x ≤ N.
pub fn check_rank(rank: i32, out_of: i32) -> Result<(), DomainError> {
    if rank < 1 || out_of < 1 || rank > out_of {
        return Err(DomainError::Invalid("invalid_rank"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::NaiveDate;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2024, 10, 15)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    #[test]
    fn the_timeline_moves_forward_and_a_freeze_can_be_lifted() {
        use State::*;
        let path = [Planned, Open, Frozen, Closed, Published];
        for w in path.windows(2) {
            assert_eq!(w[0].become_(w[1]), Ok(w[1]));
        }
        assert_eq!(Frozen.become_(Open), Ok(Open));
        assert_eq!(Open.become_(Closed), Ok(Closed));
        for (from, to) in [
            (Planned, Frozen),
            (Planned, Published),
            (Open, Published),
            (Closed, Open),
            (Published, Closed),
            (Published, Open),
            (Open, Open),
            (Frozen, Planned),
        ] {
            assert_eq!(
                from.become_(to),
                Err(DomainError::Invalid("invalid_transition")),
                "{from:?} -> {to:?}"
            );
        }
        assert_eq!(Open.next_states(), vec![Frozen, Closed]);
        assert!(Published.next_states().is_empty());
    }

    #[test]
    fn answers_are_taken_while_open_or_frozen_only() {
        let taking: Vec<State> = State::ALL
            .iter()
            .copied()
            .filter(|s| s.takes_answers())
            .collect();
        assert_eq!(taking, vec![State::Open, State::Frozen]);
    }

    #[test]
    fn names_round_trip_and_are_exact() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Ok(*k));
        }
        for r in DrillRole::ALL {
            assert_eq!(DrillRole::parse(r.as_str()), Ok(*r));
        }
        assert!(Kind::parse("Scenario").is_err());
        assert!(State::parse("done").is_err());
        assert_eq!(Kind::LiveFire.as_str(), "live_fire");
    }

    #[test]
    fn the_strongest_role_wins() {
        let mut held = [
            DrillRole::Participant,
            DrillRole::Organiser,
            DrillRole::Judge,
        ];
        held.sort();
        assert_eq!(held.last(), Some(&DrillRole::Organiser));
        assert!(!DrillRole::Participant.sees_behind_the_scenes());
        assert!(!DrillRole::Observer.sees_behind_the_scenes());
        assert!(DrillRole::Judge.sees_behind_the_scenes());
    }

    #[test]
    fn answers_compare_after_normalising() {
        let accepted = accepted_answers(&["  Mã độc  Emotet ", "emotet", ""]).unwrap();
        assert_eq!(accepted, vec!["mã độc emotet", "emotet"]);
        // NFD input (a decomposed "ộ") and odd spacing still match
        assert!(is_correct(
            &accepted,
            "mã  \u{0111}o\u{0323}\u{0302}c\tEMOTET"
        ));
        assert!(is_correct(&accepted, " EMOTET\n"));
        assert!(!is_correct(&accepted, "emotet2"));
        assert_eq!(
            accepted_answers::<&str>(&["  ", ""]),
            Err(DomainError::Invalid("no_accepted_answer"))
        );
    }

    #[test]
    fn ranks_by_score_then_by_who_got_there_first() {
        let s = |team: &str, score, t: Option<NaiveDateTime>| Score {
            team: team.to_owned(),
            score,
            last_score_at: t,
        };
        let r = ranked(&[
            s("c", 100, Some(at(10, 5))),
            s("a", 0, None),
            s("b", 100, Some(at(10, 1))),
            s("d", 250, Some(at(11, 0))),
            s("e", 0, Some(at(10, 30))),
        ]);
        let order: Vec<(u32, &str)> = r.iter().map(|(i, s)| (*i, s.team.as_str())).collect();
        assert_eq!(
            order,
            vec![(1, "d"), (2, "b"), (3, "c"), (4, "e"), (5, "a")]
        );
    }

    #[test]
    fn windows_and_ranks_are_checked() {
        assert!(Window::new(at(10, 0), at(15, 0), 420).is_ok());
        assert_eq!(
            Window::new(at(10, 0), at(10, 0), 420),
            Err(DomainError::Invalid("ends_before_start"))
        );
        assert!(Window::new(at(10, 0), at(11, 0), 15 * 60).is_err());
        assert!(check_rank(3, 63).is_ok());
        assert!(check_rank(0, 63).is_err());
        assert!(check_rank(64, 63).is_err());
    }
}
