//! What a poster writes, checked against the channel.

use irnet_domain::channel::{self, Channel};
use irnet_domain::ids::IndicatorId;
use irnet_domain::ids::OrgId;
use irnet_domain::{Principal, Tlp, TokenScope};
use irnet_store::DbConn;
use irnet_store::directory::{clusters, orgs};
use irnet_store::identity::users;
use irnet_store::sharing as indicators;

use super::MAX_LIST;
use crate::error::Problems;
use crate::{App, AppError, FieldError};

/// What a poster writes. Named organisations count at AMBER+STRICT, named people at RED.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct MessageInput {
    /// plain text, 1–10,000 characters; `@name@example.vn` mentions a person
    pub body: String,
    /// TLP 2.0, default AMBER (inside a channel: the channel's audience)
    pub tlp: Option<String>,
    /// AMBER+STRICT: organisation ids (members of the channel) that read it besides yours
    #[serde(default)]
    pub orgs: Vec<String>,
    /// RED: email addresses of the people (able to read the channel) that read it besides you
    #[serde(default)]
    pub people: Vec<String>,
    /// ids of indicators the message is about; the message may not be less strict than any
    #[serde(default)]
    pub indicators: Vec<String>,
}

fn is_member(conn: &mut DbConn, app: &App, channel: &Channel, org: &str) -> Result<bool, AppError> {
    Ok(match channel {
        Channel::Network => orgs::get(conn, org)?.is_some(),
        Channel::Cluster(c) => clusters::clusters_of_org(conn, org, app.today())?
            .iter()
            .any(|x| x == c.as_str()),
    })
}

/// The input, checked against the channel: the field problems, or what to store.
pub(super) struct Checked {
    pub(super) body: String,
    pub(super) tlp: Tlp,
    pub(super) orgs: Vec<String>,
    pub(super) people: Vec<String>,
    pub(super) indicators: Vec<IndicatorId>,
}

pub(super) fn check_input(
    conn: &mut DbConn,
    app: &App,
    p: &Principal,
    channel: &Channel,
    input: &MessageInput,
) -> Result<Checked, AppError> {
    let mut problems = Problems::default();
    let body = channel::body(&input.body);
    if body.is_none() {
        let code = if input.body.trim().is_empty() {
            "required"
        } else {
            "invalid_length"
        };
        problems.push(FieldError {
            field: "body".into(),
            code: code.into(),
            params: vec![("max".into(), channel::MAX_BODY_CHARS.to_string())],
        });
    }
    let tlp = problems.check("tlp", Tlp::parse(input.tlp.as_deref().unwrap_or("AMBER")));
    for (field, n) in [
        ("orgs", input.orgs.len()),
        ("people", input.people.len()),
        ("indicators", input.indicators.len()),
    ] {
        if n > MAX_LIST {
            problems.push(FieldError {
                field: field.into(),
                code: "too_many".into(),
                params: vec![],
            });
        }
    }
    if !input.orgs.is_empty() && tlp.is_some_and(|t| t != Tlp::AmberStrict) {
        problems.push(FieldError {
            field: "orgs".into(),
            code: "orgs_need_amber_strict".into(),
            params: vec![],
        });
    }
    if !input.people.is_empty() && tlp.is_some_and(|t| t != Tlp::Red) {
        problems.push(FieldError {
            field: "people".into(),
            code: "people_need_red".into(),
            params: vec![],
        });
    }
    let mut orgs = Vec::new();
    for (i, o) in input.orgs.iter().enumerate() {
        let field = format!("orgs[{i}]");
        match OrgId::parse(o.trim()) {
            Ok(id) if is_member(conn, app, channel, id.as_str())? => {
                if !orgs.contains(&id.as_str().to_owned()) {
                    orgs.push(id.as_str().to_owned());
                }
            }
            _ => problems.push(FieldError {
                field,
                code: "not_channel_member".into(),
                params: vec![("value".into(), o.clone())],
            }),
        }
    }
    let mut people = vec![p.user_id.as_str().to_owned()];
    for (i, email) in input.people.iter().enumerate() {
        match reader_by_email(conn, app, email)? {
            Some(q) if q.may_read_channel(channel) => {
                if !people.contains(&q.user_id.as_str().to_owned()) {
                    people.push(q.user_id.as_str().to_owned());
                }
            }
            // An unknown address and someone outside the channel get the same answer.
            _ => problems.push(FieldError {
                field: format!("people[{i}]"),
                code: "not_channel_member".into(),
                params: vec![("value".into(), email.clone())],
            }),
        }
    }
    let mut refs = Vec::new();
    let rule = p.read_rule();
    for (i, id) in input.indicators.iter().enumerate() {
        let field = format!("indicators[{i}]");
        let found = match IndicatorId::parse(id.trim()) {
            Ok(id) => indicators::list(
                conn,
                &rule,
                &indicators::Filter {
                    ids: Some(vec![id]),
                    ..Default::default()
                },
                None,
                1,
            )?
            .items
            .pop(),
            Err(_) => None,
        };
        let Some(ind) = found else {
            problems.push(FieldError {
                field,
                code: "unknown_indicator".into(),
                params: vec![("value".into(), id.clone())],
            });
            continue;
        };
        let level = ind.tlp;
        if let Some(t) = tlp
            && t < level
        {
            problems.push(FieldError {
                field: "tlp".into(),
                code: "less_strict_than_indicator".into(),
                params: vec![
                    ("tlp".into(), level.as_str().to_owned()),
                    ("indicator".into(), ind.name.clone()),
                ],
            });
        }
        if !refs.contains(&ind.id) {
            refs.push(ind.id);
        }
    }
    problems.into_result()?;
    let (Some(body), Some(tlp)) = (body, tlp) else {
        return Err(AppError::internal("checked input incomplete"));
    };
    Ok(Checked {
        body,
        tlp,
        orgs,
        people,
        indicators: refs,
    })
}

/// The principal of the active account with this address, as it is today.
pub(super) fn reader_by_email(
    conn: &mut DbConn,
    app: &App,
    email: &str,
) -> Result<Option<Principal>, AppError> {
    let Some(u) = users::by_email(conn, &email.trim().to_lowercase())? else {
        return Ok(None);
    };
    Ok(crate::identity::principal::load(conn, app, &u.id, TokenScope::Read)?.map(|l| l.principal))
}
