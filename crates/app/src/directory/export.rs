//! Exporting the directory as tables that import unchanged (the same column keys as
//! `directory::import`). Organisations are public; people and systems only of the organisations
//! whose private part the actor may read, filtered in SQL by the policy's own scope.

use std::collections::HashMap;

use irnet_domain::text;
use irnet_store::DbConn;
use irnet_store::directory::orgs::{self, OrgRow};
use irnet_store::directory::people as people_store;
use irnet_store::directory::private::PrivateScope;
use irnet_store::directory::systems as system_store;

use super::import;
use super::people::view as person_view;
use super::systems::view as system_view;
use crate::sheet::{Cell, Table};
use crate::{Actor, App, AppError};

fn text(v: impl Into<String>) -> Cell {
    let v = v.into();
    if v.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(v)
    }
}

fn opt(v: Option<String>) -> Cell {
    v.map_or(Cell::Empty, text)
}

fn list(v: &[String]) -> Cell {
    text(v.join("; "))
}

/// The store's scope for what the actor may read of the directory's private part, today.
pub(crate) fn private_scope(app: &App, actor: &Actor) -> PrivateScope {
    let rule = actor.principal.private_read_rule();
    if rule.all {
        PrivateScope::All
    } else {
        PrivateScope::Some {
            orgs: rule.orgs.iter().map(|o| o.as_str().to_owned()).collect(),
            led_clusters: rule
                .led_clusters
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
            day: app.today(),
        }
    }
}

/// How a file names an organisation: its member code when it has one (what people know it
/// by), its id otherwise. The import accepts both.
fn org_key(o: &OrgRow) -> String {
    o.member_code.clone().unwrap_or_else(|| o.id.clone())
}

fn all_orgs(conn: &mut DbConn) -> Result<HashMap<String, OrgRow>, AppError> {
    Ok(orgs::all(conn)?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect())
}

/// Every organisation (the public part of the directory).
pub async fn organisations(app: &App, actor: &Actor) -> Result<Table, AppError> {
    let rows = app
        .store
        .read(|conn| Ok::<_, AppError>(orgs::all(conn)?))
        .await?;
    crate::audit::exported(
        app,
        actor,
        "directory.organisations",
        None,
        serde_json::json!({ "rows": rows.len() }),
    )
    .await?;
    Ok(Table {
        columns: import::orgs::SPEC.columns.to_vec(),
        rows: rows
            .into_iter()
            .map(|o| {
                vec![
                    text(o.name_vi),
                    opt(o.name_en),
                    opt(o.short_name),
                    text(o.kind),
                    opt(o.member_code),
                ]
            })
            .collect(),
    })
}

/// The people of every organisation whose private part the actor may read, by organisation and
/// then by given name.
pub async fn people(app: &App, actor: &Actor) -> Result<Table, AppError> {
    let scope = private_scope(app, actor);
    let (people, orgs) = app
        .store
        .read(move |conn| {
            let people = people_store::visible(conn, &scope)?;
            Ok::<_, AppError>((people, all_orgs(conn)?))
        })
        .await?;
    let mut people: Vec<_> = people.into_iter().map(person_view).collect();
    let org_name = |id: &str| orgs.get(id).map(|o| o.name_vi.clone()).unwrap_or_default();
    people.sort_by_cached_key(|p| {
        (
            text::vi_sort_key(&org_name(&p.org_id)),
            text::given_name_sort_key(&p.full_name),
        )
    });
    let rows = people
        .into_iter()
        .map(|p| {
            let org = orgs.get(&p.org_id);
            vec![
                text(org.map(org_key).unwrap_or_else(|| p.org_id.clone())),
                text(org.map(|o| o.name_vi.clone()).unwrap_or_default()),
                text(p.family_name),
                opt(p.middle_name),
                text(p.given_name),
                opt(p.title),
                list(&p.phones),
                list(&p.emails),
            ]
        })
        .collect::<Vec<_>>();
    crate::audit::exported(
        app,
        actor,
        "directory.people",
        None,
        serde_json::json!({ "rows": rows.len() }),
    )
    .await?;
    Ok(Table {
        columns: import::people::SPEC.columns.to_vec(),
        rows,
    })
}

/// The systems owned or operated by organisations whose private part the actor may read.
pub async fn systems(app: &App, actor: &Actor) -> Result<Table, AppError> {
    let scope = private_scope(app, actor);
    let (systems, orgs) = app
        .store
        .read(move |conn| {
            let systems = system_store::visible(conn, &scope)?;
            Ok::<_, AppError>((systems, all_orgs(conn)?))
        })
        .await?;
    let key = |id: &str| orgs.get(id).map_or_else(|| id.to_owned(), org_key);
    let name = |id: &str| orgs.get(id).map(|o| o.name_vi.clone()).unwrap_or_default();
    let rows = systems
        .into_iter()
        .map(system_view)
        .map(|s| {
            vec![
                text(key(&s.owner_org_id)),
                text(name(&s.owner_org_id)),
                opt(s.operator_org_id.as_deref().map(&key)),
                opt(s.operator_org_id.as_deref().map(&name)),
                text(s.name),
                opt(s.purpose),
                list(&s.information_classes),
                s.proposed_level
                    .map_or(Cell::Empty, |l| Cell::Int(l.into())),
                s.approved_level
                    .map_or(Cell::Empty, |l| Cell::Int(l.into())),
                opt(s.approver),
                opt(s.approval_decision),
                s.approval_date.map_or(Cell::Empty, Cell::Date),
                list(&s.public_urls),
                list(&s.domains),
                list(&s.ip_ranges),
                Cell::Bool(s.internet_facing),
                Cell::Bool(s.critical),
            ]
        })
        .collect::<Vec<_>>();
    crate::audit::exported(
        app,
        actor,
        "directory.systems",
        None,
        serde_json::json!({ "rows": rows.len() }),
    )
    .await?;
    Ok(Table {
        columns: import::systems::SPEC.columns.to_vec(),
        rows,
    })
}
