//! Lists and counts of the indicators a reader may see, filtered in SQL by the read rule.

use irnet_domain::Tlp;
use irnet_domain::ids::IncidentId;
use irnet_domain::incident::ObservableKind;
use irnet_store::DbConn;
use irnet_store::page::{Page, clamp_limit};
use irnet_store::sharing::{self as store, Filter};

use super::{IndicatorView, Links, clean, view};
use crate::{Actor, App, AppError};

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// only this source organisation
    pub org: Option<String>,
    /// only this TLP
    pub tlp: Option<String>,
    /// only indicators with an observable of this kind
    pub kind: Option<String>,
    /// true or false
    pub revoked: Option<bool>,
    pub incident: Option<String>,
    /// words of the name or value (values are matched in their canonical, lower-case form)
    pub q: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

fn filter_of(q: &ListQuery) -> Result<Filter, AppError> {
    let tlp = match &q.tlp {
        Some(t) => Some(vec![Tlp::parse(t).map_err(|e| AppError::field("tlp", &e))?]),
        None => None,
    };
    if let Some(k) = &q.kind {
        ObservableKind::parse(k).map_err(|e| AppError::field("kind", &e))?;
    }
    Ok(Filter {
        owner_org_id: q.org.clone(),
        tlp,
        kind: q.kind.clone(),
        revoked: q.revoked,
        // Not parsed: an incident id nobody wrote matches nothing, as before.
        incident_id: q.incident.clone().map(IncidentId::from_trusted),
        search: clean(q.q.as_deref()).map(|w| {
            let escaped: String = w
                .chars()
                .flat_map(|c| match c {
                    '%' | '_' | '\\' => vec!['\\', c],
                    c => vec![c],
                })
                .collect();
            format!("%{escaped}%")
        }),
        ..Filter::default()
    })
}

/// Whether a list's incident filter names an incident the reader may open (or none): the filter
/// on one they may not would tell which indicators link to it.
fn incident_filter_readable(
    conn: &mut DbConn,
    actor: &Actor,
    filter: &Filter,
) -> Result<bool, AppError> {
    let Some(id) = &filter.incident_id else {
        return Ok(true);
    };
    let p = &actor.principal;
    let found = irnet_store::incidents::readable_among(
        conn,
        &p.incident_read_rule(),
        p.user_id.as_str(),
        std::slice::from_ref(id),
    )?;
    Ok(!found.is_empty())
}

/// The indicators the reader may see, newest first.
pub async fn list(app: &App, actor: &Actor, q: ListQuery) -> Result<Page<IndicatorView>, AppError> {
    let filter = filter_of(&q)?;
    let limit = clamp_limit(q.limit);
    let (app2, actor2, rule) = (app.clone(), actor.clone(), actor.principal.read_rule());
    app.store
        .read(move |conn| {
            if !incident_filter_readable(conn, &actor2, &filter)? {
                return Ok(Page {
                    next_cursor: None,
                    items: Vec::new(),
                });
            }
            let page = store::list(conn, &rule, &filter, q.cursor.as_deref(), limit)?;
            let links = Links::of(conn, &actor2, &page.items)?;
            Ok(Page {
                next_cursor: page.next_cursor,
                items: page
                    .items
                    .into_iter()
                    .map(|r| view(conn, &app2, &actor2, r, &links))
                    .collect::<Result<_, _>>()?,
            })
        })
        .await
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Count {
    pub total: i64,
}

pub async fn count(app: &App, actor: &Actor, q: ListQuery) -> Result<Count, AppError> {
    let filter = filter_of(&q)?;
    let (actor2, rule) = (actor.clone(), actor.principal.read_rule());
    app.store
        .read(move |conn| {
            if !incident_filter_readable(conn, &actor2, &filter)? {
                return Ok(Count { total: 0 });
            }
            Ok(Count {
                total: store::count(conn, &rule, &filter)?,
            })
        })
        .await
}
