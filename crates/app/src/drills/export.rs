//! The standings as a workbook: exactly what `standings` shows the reader — for a participant
//! of a frozen drill the board as it stood at the freeze, for judges and organisers the live one
//! — so the file can leak nothing the page does not.

use irnet_domain::Locale;
use irnet_domain::ids::DrillId;

use super::standings::standings;
use crate::sheet::{Cell, Table};
use crate::{Actor, App, AppError};

/// The columns' keys, headed in the reader's language as `column-<key>`.
const COLUMNS: [&str; 5] = ["rank", "team", "score", "reached_at", "frozen_at"];

/// The standings table: rank "x/N", team (its name of the drill's day, in `locale`), score, when
/// the score was reached (dd/mm/yyyy hh:mm, the drill's zone) and, on every row of a frozen
/// board, the instant it shows.
pub async fn standings_table(
    app: &App,
    actor: &Actor,
    id: &DrillId,
    locale: Locale,
) -> Result<Table, AppError> {
    let view = standings(app, actor, id).await?;
    let frozen_at = view
        .as_of
        .as_deref()
        .map_or(Cell::Empty, |t| text(shown(t)));
    let rows = view
        .lines
        .into_iter()
        .map(|l| {
            let team = match locale {
                Locale::En => l.team.name_en.clone().unwrap_or(l.team.name_vi.clone()),
                Locale::Vi => l.team.name_vi.clone(),
            };
            vec![
                text(format!("{}/{}", l.rank, l.out_of)),
                text(team),
                Cell::Int(l.score),
                l.last_score_at
                    .as_deref()
                    .map_or(Cell::Empty, |t| text(shown(t))),
                frozen_at.clone(),
            ]
        })
        .collect();
    Ok(Table {
        columns: COLUMNS.to_vec(),
        rows,
    })
}

fn text(s: String) -> Cell {
    Cell::Text(s)
}

/// An RFC 3339 instant in the drill's zone as a reader writes it; left as given if unreadable.
fn shown(t: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(t)
        .map_or_else(|_| t.to_owned(), |d| d.format("%d/%m/%Y %H:%M").to_string())
}
