//! Filing the Mẫu 01 confirmation: the member's org admin sends the profile as it stands, and
//! it is frozen ([`crate::filing`]) — the profile's data and the DOCX of that moment, numbered
//! per version ("LS/TT01", then "LS/TT01-2"). Filing also records the yearly confirmation. The
//! live Mẫu 01 (`profile::docx`) stays a draft.
//!
//! Who files: the member's org admins (`may_file_profile_of`). Who reads what was filed:
//! whoever may read the member's private part.

use irnet_domain::ids::OrgId;
use irnet_store::directory::orgs;
use irnet_store::time::to_db;

use super::people::readable;
use super::profile::{Download, load};
use crate::filing::{self, FiledReportView, FilingInput, Frozen};
use crate::{Actor, App, AppError};

pub const KIND: &str = "mau_01";

/// Files the member's profile as a new version of its Mẫu 01 and returns it.
pub async fn file(
    app: &App,
    actor: &Actor,
    org_id: &str,
    input: FilingInput,
) -> Result<FiledReportView, AppError> {
    let filing = filing::validate(&input, "filing")?;
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .write(move |conn| {
            let (app, actor) = (&app2, &actor2);
            readable(conn, app, actor, &org_id)?;
            if !actor.principal.may_write() {
                return Err(AppError::ReadOnly);
            }
            if !actor
                .principal
                .may_file_profile_of(&OrgId::from_trusted(org_id.clone()))
            {
                return Err(AppError::Forbidden);
            }
            let today = app.today();
            crate::directory::succession::ensure_open(conn, &org_id, today, "org_id")?;
            let org = orgs::get(conn, &org_id)?.ok_or(AppError::NotFound)?;
            // Filing is the yearly confirmation that the profile is current.
            irnet_store::directory::profile::touch(conn, &org_id, to_db(app.now()), Some(today))?;
            let p = load(conn, &org_id, today)?;
            let version = filing::next_version(conn, KIND, "organisation", &org_id, "")?;
            let number = filing::numbered(&filing::org_code(&org), "TT01", "", version);
            let docx = super::profile_document::render_as(
                &p,
                today,
                app.settings.local_offset,
                Some(&number),
                &filing,
                false,
            )?;
            let row = filing::freeze(
                conn,
                app,
                actor,
                Frozen {
                    kind: KIND,
                    subject_type: "organisation",
                    subject_id: &org_id,
                    period: "",
                    report_id: None,
                    org_id: &org_id,
                    number,
                    version,
                    filing: &filing,
                    data: serde_json::json!({ "profile": p, "draft": false }),
                    docx,
                    xlsx: None,
                },
            )?;
            filing::filed_view(conn, app, row)
        })
        .await
}

/// Every Mẫu 01 the member filed, newest first.
pub async fn filed(
    app: &App,
    actor: &Actor,
    org_id: &str,
) -> Result<Vec<FiledReportView>, AppError> {
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .read(move |conn| {
            readable(conn, &app2, &actor2, &org_id)?;
            filing::of_organisation(conn, &app2, KIND, &org_id)
        })
        .await
}

/// A filed Mẫu 01 exactly as filed.
pub async fn download(
    app: &App,
    actor: &Actor,
    org_id: &str,
    filed_id: &str,
) -> Result<Download, AppError> {
    let (app2, actor2, oid, fid) = (
        app.clone(),
        actor.clone(),
        org_id.to_owned(),
        filed_id.to_owned(),
    );
    let f = app
        .store
        .read(move |conn| {
            readable(conn, &app2, &actor2, &oid)?;
            irnet_store::filed_reports::get_of_kind(conn, KIND, "organisation", &oid, &fid)?
                .ok_or(AppError::NotFound)
        })
        .await?;
    crate::audit::exported(
        app,
        actor,
        "docx_mau_01",
        Some(("org_private", org_id)),
        serde_json::json!({ "filed_report_id": f.id, "sha256": f.sha256 }),
    )
    .await?;
    Ok(Download {
        bytes: f.docx,
        ascii_name: format!("mau-01-{}.docx", filing::ascii_name(&f.number)),
        name: format!("Mẫu 01 - {}.docx", f.number),
    })
}
