//! A cluster's incidents per month of one year as an SVG bar chart drawn on the server (the CSP
//! allows neither scripts nor inline styles: bars take classes from `app.css`, sizes are SVG
//! attributes). The numbers are `statistics::cluster_year`, so only those it admits see them.

use irnet_app::incidents::statistics::ClusterYear;

use crate::i18n::Tr;

const WIDTH: i64 = 640;
const HEIGHT: i64 = 220;
const LEFT: i64 = 36;
const TOP: i64 = 16;
const BOTTOM: i64 = 28;
const SLOT: i64 = (WIDTH - LEFT) / 12;
const BAR_W: i64 = SLOT * 3 / 5;

pub struct MonthChart {
    pub year: i32,
    pub width: i64,
    pub height: i64,
    pub baseline: i64,
    pub total: i64,
    pub data_loss_confirmed: i64,
    pub bars: Vec<MonthBar>,
    /// horizontal grid lines: (y, value)
    pub ticks: Vec<(i64, i64)>,
}

pub struct MonthBar {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
    pub label_x: i64,
    pub month: u32,
    pub count: i64,
    pub title: String,
}

pub fn chart(y: &ClusterYear, tr: &Tr) -> MonthChart {
    let plot_h = HEIGHT - TOP - BOTTOM;
    let baseline = TOP + plot_h;
    // At least 4 so that a quiet year does not draw one incident as a full-height bar.
    let max = y.per_month.iter().copied().max().unwrap_or(0).max(4);
    let height_of = |n: i64| n * plot_h / max;
    let bars = y
        .per_month
        .iter()
        .enumerate()
        .map(|(i, &count)| {
            let slot_x = LEFT + i64::try_from(i).unwrap_or(0) * SLOT;
            let h = height_of(count);
            let month = u32::try_from(i + 1).unwrap_or(1);
            MonthBar {
                x: slot_x + (SLOT - BAR_W) / 2,
                y: baseline - h,
                w: BAR_W,
                h,
                label_x: slot_x + SLOT / 2,
                month,
                count,
                title: tr.t_args(
                    "cluster-year-bar",
                    &[
                        ("month", format!("{month:02}/{}", y.year)),
                        ("count", count.to_string()),
                    ],
                ),
            }
        })
        .collect();
    let step = (max / 4).max(1);
    let ticks = (0..=max)
        .step_by(usize::try_from(step).unwrap_or(1))
        .map(|v| (baseline - height_of(v), v))
        .collect();
    MonthChart {
        year: y.year,
        width: WIDTH,
        height: HEIGHT,
        baseline,
        total: y.incidents,
        data_loss_confirmed: y.data_loss_confirmed,
        bars,
        ticks,
    }
}
