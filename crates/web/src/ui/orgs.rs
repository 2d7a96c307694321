//! An organisation's page: the public part for everyone in the network (names over time,
//! successions, kind, member code, clusters today) and, for those who may read it, the member
//! profile (Mẫu 01) with forms to edit its team, capabilities, staff counts and experts.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use irnet_app::AppError;
use irnet_app::directory::profile::{self, MemberProfile, OrgDetails, PublicPart};
use irnet_app::directory::profile_filing;
use irnet_app::directory::staff::{
    self, ByDegree, ByField, CertificateCount, ExpertInput, StaffView,
};
use irnet_app::directory::team::{self, CapabilityInput, TeamInput};
use irnet_app::filing::{FiledReportView, FilingInput};
use irnet_app::incidents::statistics_filing::{self, StatisticsFilingInput};
use irnet_domain::OrgRef;
use irnet_domain::ids::OrgId;
use irnet_domain::profile::{SKILLS, SkillLevel, TeamRole};
use serde::Deserialize;

use super::admin::kind_label;
use super::{FormErrors, Layout, failure_page, opt, render_status, value};
use crate::AppState;
use crate::error::{field_message, status_of};
use crate::extract::{Authed, Form, Path, Query};
use crate::i18n::Tr;

/// One option of a select.
pub struct Opt {
    pub value: String,
    pub label: String,
}

/// A row of the capabilities form: a skill of the taxonomy and what the member recorded for it.
pub struct SkillRow {
    pub code: String,
    pub label: String,
    pub level: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    l: Layout,
    public: PublicPart,
    kind: String,
    profile: Option<MemberProfile>,
    can_edit: bool,
    roles: Vec<Opt>,
    levels: Vec<Opt>,
    skills: Vec<SkillRow>,
    /// the form that failed ("team", "capabilities", "staff", "experts") and its messages
    failed: String,
    errors: Vec<String>,
    /// the Mẫu 05 versions filed, for those who may read them (None: the section is absent)
    statistics_filed: Option<Vec<FiledReportView>>,
    /// the Mẫu 01 versions filed
    profile_filed: Vec<FiledReportView>,
    can_file_statistics: bool,
    can_file_profile: bool,
    /// the years whose Mẫu 05 drafts are offered (this year and the last), newest first
    years: Vec<i32>,
    /// people trained and hours per year (training), with the private part
    training: Vec<irnet_app::training::totals::YearTotalsView>,
    /// the drills it took part in with a published rank (issue 20)
    drills: Vec<irnet_app::drills::OrgDrillResult>,
}

impl OrgPage {
    /// "ACID 2024 — hạng 3/63", the member named as it was then.
    fn drill_line(&self, r: &irnet_app::drills::OrgDrillResult) -> String {
        self.l.tr.t_args(
            "drills-rank-line",
            &[
                ("title", r.title.clone()),
                ("rank", r.rank.to_string()),
                ("out_of", r.out_of.to_string()),
            ],
        )
    }

    fn drill_name<'a>(&self, r: &'a irnet_app::drills::OrgDrillResult) -> &'a str {
        self.l
            .tr
            .localised(&r.org.name_vi, r.org.name_en.as_deref())
    }

    fn date(&self, d: &chrono::NaiveDate) -> String {
        d.format("%d/%m/%Y").to_string()
    }

    fn date_opt(&self, d: &Option<chrono::NaiveDate>) -> String {
        d.as_ref().map_or_else(|| "—".to_owned(), |d| self.date(d))
    }

    fn name<'a>(&self, vi: &'a str, en: &'a Option<String>) -> &'a str {
        self.l.tr.localised(vi, en.as_deref())
    }

    fn label(&self, prefix: &str, code: &str) -> String {
        self.l.tr.t(&format!("{prefix}-{}", code.replace('_', "-")))
    }

    fn role_of(&self, person_id: &str) -> String {
        self.profile
            .as_ref()
            .and_then(|p| {
                p.team
                    .members
                    .iter()
                    .find(|m| m.person.id == person_id)
                    .map(|m| m.role.clone())
            })
            .unwrap_or_default()
    }

    fn certificates_text(&self) -> String {
        self.profile
            .as_ref()
            .map(|p| {
                p.staff
                    .certificates
                    .iter()
                    .map(|c| format!("{}: {}", c.name, c.count))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    }

    /// A filing time as dd/mm/yyyy hh:mm.
    fn when(&self, t: &str) -> String {
        super::incidents::when(&self.l.tr, t)
    }

    /// "6 tháng đầu năm 2025" / "First half of 2025" for a stored period ("2025-H1", "2025-Y").
    fn period(&self, p: &str) -> String {
        let Some((year, rest)) = p.split_once('-') else {
            return p.to_owned();
        };
        let key = match rest {
            "H1" => "statistics-period-h1",
            "H2" => "statistics-period-h2",
            _ => "statistics-period-year",
        };
        self.l.tr.t_args(key, &[("year", year.to_owned())])
    }

    fn period_of(&self, year: &i32, code: &str) -> String {
        self.period(&format!("{year}-{code}"))
    }

    fn filed_by(&self, f: &FiledReportView) -> String {
        f.filed_by_name.clone().unwrap_or_else(|| "—".to_owned())
    }

    fn errors_for(&self, form: &str) -> Vec<String> {
        if self.failed == form {
            self.errors.clone()
        } else {
            Vec::new()
        }
    }
}

/// "Field (row n): message" for every problem, so that each names what to fix.
fn messages(tr: &Tr, e: &AppError) -> Vec<String> {
    match e {
        AppError::Validation(fields) => fields
            .iter()
            .map(|f| {
                let base = f
                    .field
                    .split(['[', '.'])
                    .next()
                    .unwrap_or(&f.field)
                    .replace('_', "-");
                let mut label = tr.t(&format!("member-field-{base}"));
                if let Some(i) = f
                    .field
                    .split_once('[')
                    .and_then(|(_, rest)| rest.split_once(']'))
                    .and_then(|(n, _)| n.parse::<usize>().ok())
                {
                    label = tr.t_args(
                        "member-field-row",
                        &[("field", label), ("row", (i + 1).to_string())],
                    );
                }
                if let Some((_, sub)) = f.field.rsplit_once('.') {
                    label = format!(
                        "{label} — {}",
                        tr.t(&format!("member-field-{}", sub.replace('_', "-")))
                    );
                }
                format!("{label}: {}", field_message(tr, f))
            })
            .collect(),
        other => FormErrors::from_error(tr, other).all(),
    }
}

async fn page(
    a: &Authed,
    s: &AppState,
    id: &str,
    notice: Option<&str>,
    failed: Option<(&str, &AppError)>,
) -> Response {
    let tr = a.ctx.tr;
    let today = s.app.today();
    let public = match profile::public_part(&s.app, &a.actor, id, today).await {
        Ok(p) => p,
        Err(e) => return failure_page(&a.ctx, &e),
    };
    // The private part is simply absent for those who may not read it.
    let profile = match profile::get(&s.app, &a.actor, id, today).await {
        Ok(p) => Some(p),
        Err(AppError::NotFound) => None,
        Err(e) => return failure_page(&a.ctx, &e),
    };
    let target = OrgRef {
        org_id: OrgId::from_trusted(id.to_owned()),
        clusters: vec![],
    };
    let can_edit = profile.is_some() && a.auth.principal.may_edit_org(&target);
    let training = if profile.is_some() {
        match irnet_app::training::totals::totals(&s.app, &a.actor, id).await {
            Ok(t) => t,
            Err(e) => return failure_page(&a.ctx, &e),
        }
    } else {
        vec![]
    };
    let skills = SKILLS
        .iter()
        .map(|sk| {
            let had = profile
                .as_ref()
                .and_then(|p| p.capabilities.iter().find(|c| c.skill == sk.code));
            SkillRow {
                code: sk.code.to_owned(),
                label: tr.localised(sk.label_vi, Some(sk.label_en)).to_owned(),
                level: had.map(|c| c.level.clone()).unwrap_or_default(),
                note: had.and_then(|c| c.note.clone()).unwrap_or_default(),
            }
        })
        .collect();
    // A filed Mẫu 05 is read by fewer than the profile (`statistics_filing`): absent for others.
    let statistics_filed = match statistics_filing::filed(&s.app, &a.actor, id).await {
        Ok(v) => Some(v),
        Err(AppError::NotFound) => None,
        Err(e) => return failure_page(&a.ctx, &e),
    };
    let profile_filed = if profile.is_some() {
        match profile_filing::filed(&s.app, &a.actor, id).await {
            Ok(v) => v,
            Err(e) => return failure_page(&a.ctx, &e),
        }
    } else {
        Vec::new()
    };
    let member = OrgId::from_trusted(id.to_owned());
    let principal = &a.auth.principal;
    let can_file_statistics = profile.is_some() && principal.may_file_statistics_of(&member);
    let can_file_profile = profile.is_some() && principal.may_file_profile_of(&member);
    let year = chrono::Datelike::year(&today);
    let drills = match irnet_app::drills::of_org(&s.app, &a.actor, id).await {
        Ok(d) => d,
        Err(e) => return failure_page(&a.ctx, &e),
    };
    let status = failed.map_or(StatusCode::OK, |(_, e)| status_of(e));
    let page = OrgPage {
        drills,
        l: Layout::new(&a.ctx).with_notice(notice),
        kind: kind_label(&tr, &public.org.kind),
        public,
        profile,
        can_edit,
        roles: TeamRole::ALL
            .iter()
            .map(|r| Opt {
                value: r.as_str().to_owned(),
                label: tr.t(&format!("team-role-{}", r.as_str())),
            })
            .collect(),
        levels: SkillLevel::ALL
            .iter()
            .map(|l| Opt {
                value: l.as_str().to_owned(),
                label: tr.t(&format!("skill-level-{}", l.as_str())),
            })
            .collect(),
        skills,
        failed: failed.map(|(f, _)| f.to_owned()).unwrap_or_default(),
        errors: failed.map(|(_, e)| messages(&tr, e)).unwrap_or_default(),
        statistics_filed,
        profile_filed,
        can_file_statistics,
        can_file_profile,
        years: vec![year, year - 1],
        training,
    };
    render_status(status, &page)
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

pub async fn show(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Response {
    page(&a, &s, &id, q.notice.as_deref(), None).await
}

/// After a form: back to the page with a notice, or the page again with the form's problems.
async fn done(a: &Authed, s: &AppState, id: &str, form: &str, r: Result<(), AppError>) -> Response {
    match r {
        Ok(()) => Redirect::to(&format!("/orgs/{id}?notice=saved#{form}")).into_response(),
        Err(e @ (AppError::Validation(_) | AppError::Conflict { .. })) => {
            page(a, s, id, None, Some((form, &e))).await
        }
        Err(e) => failure_page(&a.ctx, &e),
    }
}

/// The team form: the decision, and a role (or none) for each person of the organisation, in the
/// order the page lists them (`role:<person id>` fields).
pub async fn save_team(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let decision_date = match opt(value(&f, "decision_date")) {
            None => None,
            Some(d) => Some(
                chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                    .map_err(|_| AppError::invalid("decision_date", "invalid_date"))?,
            ),
        };
        let members = f
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("role:")
                    .filter(|_| !v.is_empty())
                    .map(|p| (p.to_owned(), v.clone()))
            })
            .collect();
        let input = TeamInput {
            decision_number: opt(value(&f, "decision_number")),
            decision_date,
            decision_issuer: opt(value(&f, "decision_issuer")),
            members,
        };
        team::set_team(&s.app, &a.actor, &id, input).await.map(drop)
    }
    .await;
    done(&a, &s, &id, "team", r).await
}

/// The capabilities form: a level (or none) and a note for each skill of the taxonomy.
pub async fn save_capabilities(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let input = SKILLS
        .iter()
        .filter_map(|sk| {
            opt(value(&f, &format!("level:{}", sk.code))).map(|level| CapabilityInput {
                skill: sk.code.to_owned(),
                level,
                note: opt(value(&f, &format!("note:{}", sk.code))),
            })
        })
        .collect();
    let r = team::set_capabilities(&s.app, &a.actor, &id, input)
        .await
        .map(drop);
    done(&a, &s, &id, "capabilities", r).await
}

/// The staff form: counts by field and degree, and certificates one per line as `name: count`.
pub async fn save_staff(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let mut bad = Vec::new();
        let mut count = |field: &str| -> i64 {
            let v = value(&f, field).trim();
            if v.is_empty() {
                return 0;
            }
            v.parse::<i64>().unwrap_or_else(|_| {
                bad.push(field.to_owned());
                0
            })
        };
        let by_field = ByField {
            it: count("by_field.it"),
            security: count("by_field.security"),
            other: count("by_field.other"),
        };
        let by_degree = ByDegree {
            doctorate: count("by_degree.doctorate"),
            master: count("by_degree.master"),
            bachelor: count("by_degree.bachelor"),
            college: count("by_degree.college"),
            other: count("by_degree.other"),
        };
        let mut certificates = Vec::new();
        for (i, line) in value(&f, "certificates")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .enumerate()
        {
            match line.rsplit_once(':') {
                Some((name, n)) if n.trim().parse::<i64>().is_ok() => {
                    certificates.push(CertificateCount {
                        name: name.trim().to_owned(),
                        count: n.trim().parse().unwrap_or(0),
                    });
                }
                _ => bad.push(format!("certificates[{i}].count")),
            }
        }
        if !bad.is_empty() {
            return Err(AppError::Validation(
                bad.into_iter()
                    .map(|field| irnet_app::FieldError {
                        field,
                        code: "invalid_number".to_owned(),
                        params: vec![],
                    })
                    .collect(),
            ));
        }
        let input = StaffView {
            by_field,
            by_degree,
            certificates,
        };
        staff::set_staff(&s.app, &a.actor, &id, input)
            .await
            .map(drop)
    }
    .await;
    done(&a, &s, &id, "staff", r).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ExpertForm {
    person_id: String,
    expertise: String,
    /// comma-separated
    certificates: String,
}

pub async fn add_expert(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<ExpertForm>,
) -> Response {
    let input = ExpertInput {
        person_id: f.person_id,
        expertise: f.expertise,
        certificates: f
            .certificates
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    let r = staff::add_expert(&s.app, &a.actor, &id, input)
        .await
        .map(drop);
    done(&a, &s, &id, "experts", r).await
}

pub async fn remove_expert(
    a: Authed,
    State(s): State<AppState>,
    Path((id, expert_id)): Path<(String, String)>,
) -> Response {
    let r = staff::remove_expert(&s.app, &a.actor, &id, &expert_id).await;
    done(&a, &s, &id, "experts", r).await
}

pub async fn confirm(a: Authed, State(s): State<AppState>, Path(id): Path<String>) -> Response {
    let r = profile::confirm(&s.app, &a.actor, &id).await.map(drop);
    done(&a, &s, &id, "confirm", r).await
}

/// The filing fields of a form: number, place, recipients (one a line) and signer.
fn filing_input(f: &[(String, String)]) -> FilingInput {
    FilingInput {
        document_number: opt(value(f, "document_number")),
        place: opt(value(f, "place")),
        recipients: value(f, "recipients")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        signer_title: opt(value(f, "signer_title")),
        signer_name: opt(value(f, "signer_name")),
    }
}

/// Files the period's Mẫu 05 (`year`, `half`: "1", "2" or empty for the whole year).
pub async fn file_statistics(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let year = value(&f, "year")
            .trim()
            .parse::<i32>()
            .map_err(|_| AppError::invalid("year", "invalid_year"))?;
        let half = match value(&f, "half").trim() {
            "" => None,
            h => Some(
                h.parse::<u8>()
                    .map_err(|_| AppError::invalid("half", "invalid_half"))?,
            ),
        };
        let input = StatisticsFilingInput {
            year,
            half,
            filing: filing_input(&f),
        };
        statistics_filing::file(&s.app, &a.actor, &id, input)
            .await
            .map(drop)
    }
    .await;
    done(&a, &s, &id, "statistics", r).await
}

/// Files the Mẫu 01 confirmation.
pub async fn file_profile(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let r = profile_filing::file(&s.app, &a.actor, &id, filing_input(&f))
        .await
        .map(drop);
    done(&a, &s, &id, "filing", r).await
}

/// The organisation's address, phone, e-mail and head.
pub async fn save_details(
    a: Authed,
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let input = OrgDetails {
        address: opt(value(&f, "address")),
        phone: opt(value(&f, "phone")),
        email: opt(value(&f, "email")),
        head_name: opt(value(&f, "head_name")),
        head_title: opt(value(&f, "head_title")),
    };
    let r = profile::set_details(&s.app, &a.actor, &id, input)
        .await
        .map(drop);
    done(&a, &s, &id, "details", r).await
}

/// This module's pages, merged by `ui::routes`.
pub(crate) fn routes() -> axum::Router<crate::AppState> {
    axum::Router::new()
        .route("/orgs/{id}", axum::routing::get(show))
        .route("/orgs/{id}/team", axum::routing::post(save_team))
        .route(
            "/orgs/{id}/capabilities",
            axum::routing::post(save_capabilities),
        )
        .route("/orgs/{id}/staff", axum::routing::post(save_staff))
        .route("/orgs/{id}/experts", axum::routing::post(add_expert))
        .route(
            "/orgs/{id}/experts/{expert_id}/remove",
            axum::routing::post(remove_expert),
        )
        .route("/orgs/{id}/confirm", axum::routing::post(confirm))
        .route("/orgs/{id}/details", axum::routing::post(save_details))
        .route("/orgs/{id}/profile/file", axum::routing::post(file_profile))
        .route(
            "/orgs/{id}/statistics/file",
            axum::routing::post(file_statistics),
        )
}
