//! The composition timeline drawn as an SVG on the server: one row per membership, one bar per name
//! the member bore, a band under the bar for each year it led, a note where a membership ended by
//! merger. Geometry is computed here so the template only places shapes (no script: the CSP allows
//! none, and inline styles neither, so shapes take classes from `app.css`).

use chrono::{Datelike, NaiveDate};
use irnet_app::directory::timeline::{EventKind, Timeline};

use crate::i18n::Tr;

const WIDTH: i64 = 960;
const LABEL_W: i64 = 250;
const RIGHT_PAD: i64 = 150;
const TOP: i64 = 24;
const ROW_H: i64 = 34;
const BAR_H: i64 = 18;

pub struct Chart {
    pub width: i64,
    pub height: i64,
    pub years: Vec<YearTick>,
    pub rows: Vec<ChartRow>,
}

pub struct YearTick {
    pub x: i64,
    pub label: i32,
}

pub struct ChartRow {
    pub label: String,
    pub label_y: i64,
    pub bars: Vec<Bar>,
    pub leads: Vec<Bar>,
    /// "→ successor", after the bar's end
    pub end_note: Option<(i64, String)>,
}

pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
    /// alternates between a member's successive names
    pub shade: usize,
    pub title: String,
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

pub fn chart(t: &Timeline, tr: &Tr) -> Chart {
    let start = NaiveDate::from_ymd_opt(t.from.year(), 1, 1).unwrap_or(t.from);
    let end = NaiveDate::from_ymd_opt(t.to.year() + 1, 1, 1).unwrap_or(t.to);
    let span = (end - start).num_days().max(1);
    let plot_w = WIDTH - LABEL_W - RIGHT_PAD;
    let x = |d: NaiveDate| LABEL_W + (d.min(end) - start).num_days().max(0) * plot_w / span;
    let years = (start.year()..=end.year())
        .filter_map(|y| NaiveDate::from_ymd_opt(y, 1, 1))
        .map(|d| YearTick {
            x: x(d),
            label: d.year(),
        })
        .collect();
    let rows = t
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let top = TOP + i64::try_from(i).unwrap_or(0) * ROW_H;
            let bars = r
                .names
                .iter()
                .enumerate()
                .map(|(k, n)| {
                    let to = n.to.unwrap_or(t.to);
                    Bar {
                        x: x(n.from),
                        y: top,
                        w: (x(to) - x(n.from)).max(2),
                        h: BAR_H,
                        shade: k % 2,
                        title: format!(
                            "{} — {} → {}",
                            tr.localised(&n.name_vi, n.name_en.as_deref()),
                            dmy(n.from),
                            n.to.map_or_else(|| tr.t("timeline-now"), dmy)
                        ),
                    }
                })
                .collect();
            let leads = t
                .events
                .iter()
                .filter(|e| e.kind == EventKind::Lead)
                .filter(|e| e.org.as_ref().is_some_and(|o| o.org_id == r.org_id))
                .filter_map(|e| {
                    let year = e.year?;
                    let from = NaiveDate::from_ymd_opt(year, 1, 1)?.max(r.since);
                    let to = NaiveDate::from_ymd_opt(year + 1, 1, 1)?.min(t.to);
                    Some(Bar {
                        x: x(from),
                        y: top + BAR_H + 2,
                        w: (x(to) - x(from)).max(2),
                        h: 5,
                        shade: 0,
                        title: tr.t_args("timeline-lead-band", &[("year", year.to_string())]),
                    })
                })
                .collect();
            let end_note = t
                .events
                .iter()
                .find(|e| {
                    e.kind == EventKind::Merged
                        && e.org.as_ref().is_some_and(|o| o.org_id == r.org_id)
                        && Some(e.on) == r.until
                })
                .and_then(|e| e.other.as_ref())
                .zip(r.until)
                .map(|(o, until)| {
                    let name = o
                        .short_name
                        .as_deref()
                        .unwrap_or_else(|| tr.localised(&o.name_vi, o.name_en.as_deref()));
                    (x(until) + 6, format!("→ {name}"))
                });
            let last = r.names.last();
            ChartRow {
                label: last
                    .map(|n| n.short_name.clone().unwrap_or_else(|| n.name_vi.clone()))
                    .unwrap_or_else(|| r.org_id.clone()),
                label_y: top + BAR_H - 4,
                bars,
                leads,
                end_note,
            }
        })
        .collect::<Vec<_>>();
    Chart {
        width: WIDTH,
        height: TOP + i64::try_from(rows.len()).unwrap_or(0) * ROW_H + 8,
        years,
        rows,
    }
}
