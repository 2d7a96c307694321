//! Who is told what in an incident's life, through `notify` (in the app, live, by mail, by
//! webhook). Recipients are always people of organisations the event concerns: the coordinator
//! on escalation, the organisations asked for support, the requester when they answer, the
//! supporter when accepted, and people mentioned in the discussion (those who may read it only).
//! A TLP:RED incident's texts never leave the platform (`restricted`), and each recipient who may
//! not read the incident when the notice is delivered gets it sealed (`notify::cut`).

use irnet_store::DbConn;
use irnet_store::identity::grants;
use irnet_store::incidents::IncidentRow;

use crate::notify::{Notice, notify};
use crate::{App, AppError};

/// The people who act for an organisation: its org admins and responders, and for the
/// coordinator's centre the coordinators.
pub(crate) fn people_of(
    conn: &mut DbConn,
    app: &App,
    org_id: &str,
) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for role in ["org_admin", "responder"] {
        out.extend(
            grants::holders(conn, role, "org", org_id)?
                .into_iter()
                .map(|u| u.id),
        );
    }
    if super::coordinator_org(conn, app)?.as_deref() == Some(org_id) {
        out.extend(
            grants::holders(conn, "coordinator", "network", "")?
                .into_iter()
                .filter(|u| u.org_id == org_id)
                .map(|u| u.id),
        );
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Notices addressed to organisations that need not be in the incident's audience (a support
/// request, a coordination instruction): their texts carry only what was written for those
/// organisations (never the incident's title), their link is the page of what is addressed to
/// them, and delivery does not cut them by the incident's read rule (`notify::cut`).
pub(crate) const ADDRESSED: [&str; 2] = ["incident.support_requested", "incident.instructed"];

/// Tells `recipients` about `r`. The link is the incident, except for the `ADDRESSED` kinds.
/// Every other notice is cut at delivery by each recipient's read rule of the incident.
pub(crate) fn tell(
    conn: &mut DbConn,
    app: &App,
    r: &IncidentRow,
    kind: &str,
    message: &str,
    extra: &[(&str, String)],
    recipients: Vec<String>,
) -> Result<(), AppError> {
    if recipients.is_empty() {
        return Ok(());
    }
    let link = if ADDRESSED.contains(&kind) {
        "/support-requests".to_owned()
    } else {
        format!("/incidents/{}", r.id)
    };
    // The incident names its owner as of its detection day, with today's name beside it.
    let owner = crate::directory::names::name_on(
        conn,
        &r.owner_org_id,
        crate::directory::names::day_of(app, r.detected_at),
        app.today(),
    )?
    .label(irnet_domain::Locale::Vi);
    let mut args = vec![
        (
            "number".to_owned(),
            r.number.clone().unwrap_or_else(|| "—".to_owned()),
        ),
        ("title".to_owned(), r.title.clone()),
        ("owner".to_owned(), owner),
    ];
    args.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    notify(
        conn,
        app,
        &Notice {
            kind: kind.to_owned(),
            object_type: "incident".to_owned(),
            object_id: r.id.to_string(),
            org_id: Some(r.owner_org_id.clone()),
            link,
            message: message.to_owned(),
            args,
            recipients,
            email: true,
            restricted: r.tlp == irnet_domain::Tlp::Red,
        },
    )
}
