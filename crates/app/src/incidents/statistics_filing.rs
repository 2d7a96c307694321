//! Filing Mẫu 05: a member sends the coordinator its statistics of a half-year or a year. What
//! it files is frozen ([`crate::filing`]): the counts as of that moment, the DOCX and the XLSX,
//! each version numbered on its own ("LS/BC05-2025-H2", then "LS/BC05-2025-H2-2"). The live form
//! (`statistics::form`) stays a draft.
//!
//! Who files: whoever may file the member's incident reports (`may_file_statistics_of`). Who
//! reads what was filed: the member and the coordinator it is sent to (see `readable_filed`).

use irnet_domain::ids::OrgId;
use irnet_store::directory::orgs;

use super::statistics::{compute, form_data, form_period, period_label};
use crate::directory::profile::Download;
use crate::filing::{self, FiledReportView, FilingInput, Frozen};
use crate::{Actor, App, AppError};

pub const KIND: &str = "mau_05";

/// What the member files: the period and the document's own fields.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StatisticsFilingInput {
    pub year: i32,
    /// 1 or 2 for a half-year; absent for the whole year
    pub half: Option<u8>,
    pub filing: FilingInput,
}

/// The period as stored: "2025-H1", "2025-H2", "2025-Y".
pub fn period_key(year: i32, half: Option<u8>) -> String {
    half.map_or(format!("{year}-Y"), |h| format!("{year}-H{h}"))
}

/// The member's private part is what its Mẫu 05 is: a reader outside it is told nothing (404).
/// A filed version counts every incident of the member and carries its damage estimates, so it
/// is read by those who count them all (the member and the coordinator it is sent to), not by
/// administrators or the cluster's lead, whose live Mẫu 05 counts what they may read.
fn readable_filed(
    conn: &mut irnet_store::DbConn,
    app: &App,
    actor: &Actor,
    org_id: &str,
) -> Result<orgs::OrgRow, AppError> {
    let org = readable(conn, app, actor, org_id)?;
    if !actor
        .principal
        .may_read_filed_statistics_of(&OrgId::from_trusted(org_id.to_owned()))
    {
        return Err(AppError::NotFound);
    }
    Ok(org)
}

fn readable(
    conn: &mut irnet_store::DbConn,
    app: &App,
    actor: &Actor,
    org_id: &str,
) -> Result<orgs::OrgRow, AppError> {
    crate::directory::people::readable(conn, app, actor, org_id)?;
    orgs::get(conn, org_id)?.ok_or(AppError::NotFound)
}

/// Files the period's Mẫu 05 as a new version and returns it.
pub async fn file(
    app: &App,
    actor: &Actor,
    org_id: &str,
    input: StatisticsFilingInput,
) -> Result<FiledReportView, AppError> {
    use crate::documents::statistics as doc;
    let filing = filing::validate(&input.filing, "filing")?;
    let (year, half) = (input.year, input.half);
    form_period(year, half)?;
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .write(move |conn| {
            let (app, actor) = (&app2, &actor2);
            let org = readable(conn, app, actor, &org_id)?;
            if !actor.principal.may_write() {
                return Err(AppError::ReadOnly);
            }
            if !actor
                .principal
                .may_file_statistics_of(&OrgId::from_trusted(org_id.clone()))
            {
                return Err(AppError::Forbidden);
            }
            crate::directory::succession::ensure_open(conn, &org_id, app.today(), "org_id")?;
            let s = compute(conn, app, actor, org_id.clone(), year, half, true)?;
            let period = period_key(year, half);
            let version = filing::next_version(conn, KIND, "organisation", &org_id, &period)?;
            let number = filing::numbered(&filing::org_code(&org), "BC05", &period, version);
            let data = form_data(&s, app.today(), &filing)?;
            let docx = doc::render_as(&data, Some(&number), false)?;
            let xlsx = doc::render_xlsx(&data)?;
            let row = filing::freeze(
                conn,
                app,
                actor,
                Frozen {
                    kind: KIND,
                    subject_type: "organisation",
                    subject_id: &org_id,
                    period: &period,
                    report_id: None,
                    org_id: &org_id,
                    number,
                    version,
                    filing: &filing,
                    data: serde_json::json!({ "statistics": s, "draft": false }),
                    docx,
                    xlsx: Some(xlsx),
                },
            )?;
            filing::filed_view(conn, app, row)
        })
        .await
}

/// Every Mẫu 05 the member filed, newest first.
pub async fn filed(
    app: &App,
    actor: &Actor,
    org_id: &str,
) -> Result<Vec<FiledReportView>, AppError> {
    let (app2, actor2, org_id) = (app.clone(), actor.clone(), org_id.to_owned());
    app.store
        .read(move |conn| {
            readable_filed(conn, &app2, &actor2, &org_id)?;
            filing::of_organisation(conn, &app2, KIND, &org_id)
        })
        .await
}

/// A filed Mẫu 05 exactly as filed: its DOCX, or its XLSX (`xlsx`).
pub async fn download(
    app: &App,
    actor: &Actor,
    org_id: &str,
    filed_id: &str,
    xlsx: bool,
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
            readable_filed(conn, &app2, &actor2, &oid)?;
            irnet_store::filed_reports::get_of_kind(conn, KIND, "organisation", &oid, &fid)?
                .ok_or(AppError::NotFound)
        })
        .await?;
    let (ext, bytes, sha256) = if xlsx {
        let (Some(b), Some(h)) = (f.xlsx, f.xlsx_sha256) else {
            return Err(AppError::NotFound);
        };
        ("xlsx", b, h)
    } else {
        ("docx", f.docx, f.sha256)
    };
    crate::audit::exported(
        app,
        actor,
        &format!("mau_05_{ext}"),
        Some(("organisation", org_id)),
        serde_json::json!({ "filed_report_id": f.id, "sha256": sha256 }),
    )
    .await?;
    let (year, half) = parse_period(&f.period);
    let label = year.map_or_else(|| f.period.to_lowercase(), |y| period_label(y, half));
    Ok(Download {
        bytes,
        ascii_name: format!("mau-05-{}-{label}.{ext}", filing::ascii_name(&f.number)),
        name: format!("Mẫu 05 - {} - {label}.{ext}", f.number),
    })
}

/// "2025-H2" back to (2025, Some(2)); "2025-Y" to (2025, None).
fn parse_period(p: &str) -> (Option<i32>, Option<u8>) {
    let Some((y, rest)) = p.split_once('-') else {
        return (None, None);
    };
    let half = rest.strip_prefix('H').and_then(|h| h.parse().ok());
    (y.parse().ok(), half)
}
