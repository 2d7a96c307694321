//! `/rules`: the rule sets of the network — the one in force today (deadlines and how they are
//! counted, this year's holidays, the periodic reports, the handling steps), every set by date,
//! and for the coordinator a form for a new set from a day after today, and withdrawing an
//! upcoming one. Sets in force never change (the API says the same: 409).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use irnet_app::AppError;
use irnet_app::rules::{self, RuleSetInput, RuleSetView};
use irnet_domain::rules::{Counting, RuleSet, Rules, Span, Unit};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{Layout, NoticeParam, render_status, see_other};
use crate::AppState;
use crate::extract::{Authed, Form, Path, Query};

#[derive(Template)]
#[template(path = "rules.html")]
struct RulesPage {
    l: Layout,
    sets: Vec<RuleSetView>,
    current: Option<RuleSetView>,
    holidays: Vec<NaiveDate>,
    year: i32,
    may_edit: bool,
    errors: Vec<String>,
    form: RuleSetForm,
    /// the organisations the coordinator may name as national coordinator (editors only)
    choices: Vec<irnet_app::directory::names::OrgName>,
}

impl RulesPage {
    fn date(&self, d: &NaiveDate) -> String {
        d.format("%d/%m/%Y").to_string()
    }

    /// "In force since dd/mm/yyyy" — or, for the first set (the national rules, dated
    /// 01/01/1970 so that it judges everything before the network's own sets), its name.
    fn since(&self, d: &NaiveDate, key: &str) -> String {
        if *d == rules::base_date() {
            self.l.tr.t("rules-base")
        } else {
            self.l.tr.t_args(key, &[("date", self.date(d))])
        }
    }

    fn span(&self, s: &Span) -> String {
        let tr = &self.l.tr;
        let unit = match (s.unit, s.counting) {
            (Unit::Hours, _) => "rules-hours",
            (Unit::Days, Counting::Calendar) => "rules-days",
            (Unit::Days, Counting::Working) => "rules-working-days",
        };
        tr.t_args(unit, &[("count", s.amount.to_string())])
    }

    fn status(&self, s: &RuleSetView) -> String {
        self.l.tr.t(if s.in_force {
            "rules-in-force"
        } else if s.upcoming {
            "rules-upcoming"
        } else {
            "rules-past"
        })
    }

    fn step<'a>(&self, vi: &'a str, en: &'a str) -> &'a str {
        self.l.tr.localised(vi, Some(en))
    }

    fn period(&self, p: &str) -> String {
        self.l
            .tr
            .t(&format!("rules-period-{}", p.replace('_', "-")))
    }

    fn selected(&self, a: &str, b: &str) -> &'static str {
        if a == b { "selected" } else { "" }
    }
}

/// The coordinator's form: what a new set changes from the one before it. Empty fields keep
/// the value of the set in force the day before.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RuleSetForm {
    #[serde(default)]
    effective_from: String,
    #[serde(default)]
    notice_amount: String,
    #[serde(default)]
    notice_counting: String,
    #[serde(default)]
    acknowledgement_hours: String,
    #[serde(default)]
    initial_report_hours: String,
    #[serde(default)]
    closing_report_amount: String,
    #[serde(default)]
    closing_report_counting: String,
    #[serde(default)]
    holiday_year: String,
    /// that year's days off, dd/mm/yyyy, one a line or separated by `;`
    #[serde(default)]
    holiday_days: String,
    #[serde(default)]
    half_year_due: String,
    #[serde(default)]
    year_due: String,
    #[serde(default)]
    min_security_level: String,
    /// the organisation holding the national coordinator's role from the set's date
    #[serde(default)]
    coordinator_org_id: String,
}

fn number(field: &str, v: &str) -> Result<Option<i64>, AppError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse()
        .map(Some)
        .map_err(|_| AppError::invalid(field, "invalid_value"))
}

/// The form as the API's input: only what was filled in.
fn input(f: &RuleSetForm, base: &RuleSet) -> Result<RuleSetInput, AppError> {
    let effective_from = NaiveDate::parse_from_str(f.effective_from.trim(), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(f.effective_from.trim(), "%d/%m/%Y"))
        .map_err(|_| AppError::invalid("effective_from", "invalid_date"))?;
    let mut deadlines = Map::new();
    let mut span = |name: &str, amount: Option<i64>, counting: &str, unit: &str| {
        let mut s = Map::new();
        if let Some(a) = amount {
            s.insert("amount".into(), json!(a));
            s.insert("unit".into(), json!(unit));
        }
        if !counting.is_empty() {
            s.insert("counting".into(), json!(counting));
        }
        if !s.is_empty() {
            deadlines.insert(name.into(), Value::Object(s));
        }
    };
    span(
        "notice",
        number("rules.deadlines.notice.amount", &f.notice_amount)?,
        f.notice_counting.trim(),
        "days",
    );
    span(
        "acknowledgement",
        number(
            "rules.deadlines.acknowledgement.amount",
            &f.acknowledgement_hours,
        )?,
        "",
        "hours",
    );
    span(
        "initial_report",
        number(
            "rules.deadlines.initial_report.amount",
            &f.initial_report_hours,
        )?,
        "",
        "hours",
    );
    span(
        "closing_report",
        number(
            "rules.deadlines.closing_report.amount",
            &f.closing_report_amount,
        )?,
        f.closing_report_counting.trim(),
        "days",
    );
    let mut rules = Map::new();
    if !deadlines.is_empty() {
        rules.insert("deadlines".into(), Value::Object(deadlines));
    }
    if let Some(year) = number("rules.holidays.years", &f.holiday_year)? {
        let mut days = Vec::new();
        for d in f
            .holiday_days
            .split([';', '\n', ','])
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            let day = NaiveDate::parse_from_str(d, "%d/%m/%Y")
                .map_err(|_| AppError::invalid("rules.holidays.years", "invalid_date"))?;
            days.push(day);
        }
        rules.insert(
            "holidays".into(),
            json!({ "years": { year.to_string(): days } }),
        );
    }
    if !f.half_year_due.trim().is_empty() || !f.year_due.trim().is_empty() {
        let mut reports = base.periodic_reports.reports.clone();
        for (period, due) in [("half_year", &f.half_year_due), ("year", &f.year_due)] {
            if due.trim().is_empty() {
                continue;
            }
            match reports.iter_mut().find(|r| r.period == period) {
                Some(r) => r.due = due.trim().to_owned(),
                None => reports.push(irnet_domain::rules::PeriodicReport {
                    period: period.to_owned(),
                    due: due.trim().to_owned(),
                }),
            }
        }
        rules.insert("periodic_reports".into(), json!({ "reports": reports }));
    }
    if let Some(level) = number("rules.serious.min_security_level", &f.min_security_level)? {
        rules.insert("serious".into(), json!({ "min_security_level": level }));
    }
    if !f.coordinator_org_id.trim().is_empty() {
        rules.insert(
            "coordinator_org_id".into(),
            json!(f.coordinator_org_id.trim()),
        );
    }
    Ok(RuleSetInput {
        effective_from,
        rules: Value::Object(rules),
    })
}

/// A field's problem in the reader's language, the field named as the form names it.
fn messages(a: &Authed, e: &AppError) -> Vec<String> {
    let tr = &a.ctx.tr;
    match e {
        AppError::Validation(fields) => fields
            .iter()
            .map(|f| {
                let key = f
                    .field
                    .trim_start_matches("rules.")
                    .split(['[', '.'])
                    .take(2)
                    .collect::<Vec<_>>()
                    .join("-")
                    .replace('_', "-");
                let label = tr.t(&format!("rules-field-{key}"));
                let label = if label.starts_with("rules-field-") {
                    f.field.clone()
                } else {
                    label
                };
                format!("{label}: {}", crate::error::field_message(tr, f))
            })
            .collect(),
        other => vec![tr.t(&format!("problem-{}", other.code().replace('_', "-")))],
    }
}

async fn page(
    a: &Authed,
    s: &AppState,
    notice: Option<&str>,
    errors: Vec<String>,
    form: RuleSetForm,
    status: StatusCode,
) -> Response {
    let sets = match rules::list(&s.app, &a.actor).await {
        Ok(sets) => sets,
        Err(e) => return super::failure_page(&a.ctx, &e),
    };
    let today = s.app.today();
    let may_edit = a.auth.principal.may_edit_rules();
    let choices = if may_edit {
        match rules::coordinator_choices(&s.app, &a.actor).await {
            Ok(c) => c,
            Err(e) => return super::failure_page(&a.ctx, &e),
        }
    } else {
        vec![]
    };
    let current = sets.iter().find(|v| v.in_force).cloned();
    let holidays = current.as_ref().map_or_else(Vec::new, |c| {
        Rules::new(c.effective_from, c.rules.clone())
            .holidays(today.year())
            .iter()
            .copied()
            .collect()
    });
    render_status(
        status,
        &RulesPage {
            l: Layout::new(&a.ctx).with_notice(notice),
            may_edit,
            choices,
            sets,
            current,
            holidays,
            year: today.year(),
            errors,
            form,
        },
    )
}

pub async fn show(a: Authed, State(s): State<AppState>, Query(q): Query<NoticeParam>) -> Response {
    page(
        &a,
        &s,
        q.notice.as_deref(),
        vec![],
        RuleSetForm::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn create(a: Authed, State(s): State<AppState>, Form(f): Form<RuleSetForm>) -> Response {
    let attempt = async {
        let base = rules::in_force(&s.app, &a.actor, None).await?;
        let input = input(&f, &base.rules)?;
        rules::create(&s.app, &a.actor, input).await
    };
    match attempt.await {
        Ok(_) => see_other("/rules", "created"),
        Err(e @ (AppError::Forbidden | AppError::ReadOnly | AppError::NotFound)) => {
            super::failure_page(&a.ctx, &e)
        }
        Err(e) => {
            let errors = messages(&a, &e);
            page(&a, &s, None, errors, f, crate::error::status_of(&e)).await
        }
    }
}

pub async fn withdraw(a: Authed, State(s): State<AppState>, Path(id): Path<String>) -> Response {
    match rules::withdraw(&s.app, &a.actor, &id).await {
        Ok(()) => see_other("/rules", "deleted"),
        Err(e @ (AppError::Forbidden | AppError::ReadOnly | AppError::NotFound)) => {
            super::failure_page(&a.ctx, &e)
        }
        Err(e) => {
            let errors = messages(&a, &e);
            let status = crate::error::status_of(&e);
            page(&a, &s, None, errors, RuleSetForm::default(), status).await
        }
    }
}

/// This module's pages, merged by `ui::routes`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/rules", axum::routing::get(show).post(create))
        .route("/rules/{id}/withdraw", axum::routing::post(withdraw))
}
