//! Provinces as of a day: public reference data, read by everyone in the network. Loading them
//! is `import::provinces`.

use chrono::{Days, NaiveDate};
use irnet_store::directory::provinces::{self as store, VersionRow};

use crate::{Actor, App, AppError};

/// A province as it was on the day asked.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ProvinceView {
    /// the statistics code, two digits
    pub code: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    /// province or city (centrally-run)
    pub kind: String,
    /// the first day of this version
    pub valid_from: NaiveDate,
    /// its last day, if it ended
    pub valid_until: Option<NaiveDate>,
    /// the code it merged into, if a merger ended it
    pub merged_into: Option<String>,
    /// the resolution of that merger
    pub decision: Option<String>,
}

fn last_day(to: Option<NaiveDate>) -> Option<NaiveDate> {
    to.and_then(|t| t.checked_sub_days(Days::new(1)))
}

/// The provinces that existed on `day`, by code.
pub async fn list_on(
    app: &App,
    _actor: &Actor,
    day: NaiveDate,
) -> Result<Vec<ProvinceView>, AppError> {
    app.store
        .read(move |conn| {
            let versions = store::versions_on(conn, day, None)?;
            let codes: Vec<String> = versions.iter().map(|v| v.province_code.clone()).collect();
            let mut mergers = store::absorbed_into(conn, &codes)?;
            Ok(versions
                .into_iter()
                .map(|v| {
                    // The merger that ended this version, not an earlier or later one.
                    let merger = mergers.get_mut(&v.province_code).and_then(|m| {
                        m.iter()
                            .position(|s| Some(s.effective) == v.valid_to)
                            .map(|i| m.swap_remove(i))
                    });
                    view(v, merger)
                })
                .collect())
        })
        .await
}

fn view(v: VersionRow, merger: Option<store::SuccessionRow>) -> ProvinceView {
    ProvinceView {
        code: v.province_code,
        name_vi: v.name_vi,
        name_en: v.name_en,
        kind: v.kind,
        valid_from: v.valid_from,
        valid_until: last_day(v.valid_to),
        merged_into: merger.as_ref().map(|m| m.successor_code.clone()),
        decision: merger.and_then(|m| m.decision),
    }
}
