//! The recruiter's dashboard under `/dashboard`: server-rendered pages behind a sign-in
//! session, with no external assets. Every page but the sign-in form needs a session.

pub mod account_page;
pub mod audit_page;
pub mod compare_page;
pub mod culture_page;
pub mod erasure_page;
pub mod explanation_page;
pub mod interview_pages;
pub mod layout;
pub mod password;
pub mod project_pages;
pub mod projects;
pub mod reports_page;
pub mod session;
pub mod settings_pages;
pub mod signin;
pub mod words;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(projects::list))
        .route(
            "/dashboard/sign-in",
            get(signin::sign_in_page).post(signin::sign_in),
        )
        .route("/dashboard/sign-out", post(signin::sign_out))
        .route("/dashboard/account", get(account_page::show))
        .route(
            "/dashboard/account/language",
            post(account_page::set_language),
        )
        .route(
            "/dashboard/account/password",
            post(account_page::set_password),
        )
        .route("/dashboard/projects", post(project_pages::create))
        .route("/dashboard/projects/new", get(project_pages::new_form))
        .route(
            "/dashboard/projects/{id}",
            get(project_pages::show).post(project_pages::save),
        )
        .route("/dashboard/projects/{id}/close", post(project_pages::close))
        .route(
            "/dashboard/interviews",
            get(interview_pages::list).post(interview_pages::upload),
        )
        .route(
            "/dashboard/interviews/upload",
            post(interview_pages::upload_file),
        )
        .route("/dashboard/interviews/{id}", get(interview_pages::show))
        .route(
            "/dashboard/interviews/{id}/decision",
            post(interview_pages::decide),
        )
        .route(
            "/dashboard/culture",
            get(culture_page::show).post(culture_page::save),
        )
        .route(
            "/dashboard/interviews/{id}/report-link",
            post(interview_pages::revoke_report_link),
        )
        .route("/dashboard/compare", get(compare_page::show))
        .route("/dashboard/reports", get(reports_page::show))
        .route(
            "/dashboard/reports/adverse-impact.csv",
            get(reports_page::csv),
        )
        .route(
            "/dashboard/reports/adverse-impact/print",
            get(reports_page::print),
        )
        .route(
            "/dashboard/reports/requests/{id}/resolve",
            post(reports_page::resolve),
        )
        .route(
            "/dashboard/candidates/{id}/delete",
            post(erasure_page::erase),
        )
        .route(
            "/dashboard/settings/retention",
            post(erasure_page::set_retention),
        )
        .route(
            "/dashboard/candidates/{id}/explanation",
            get(explanation_page::show),
        )
        .route("/dashboard/settings", get(settings_pages::show))
        .route("/dashboard/audit", get(audit_page::show))
        .route(
            "/dashboard/settings/api-keys",
            post(settings_pages::create_key),
        )
        .route(
            "/dashboard/settings/api-keys/{id}/revoke",
            post(settings_pages::revoke_key),
        )
        .route(
            "/dashboard/settings/api-keys/{id}/rotate",
            post(settings_pages::rotate_key),
        )
        .route(
            "/dashboard/settings/webhooks",
            post(settings_pages::create_webhook),
        )
        .route(
            "/dashboard/settings/users",
            post(settings_pages::create_user),
        )
        .route(
            "/dashboard/settings/users/{id}/role",
            post(settings_pages::set_role),
        )
        .route(
            "/dashboard/settings/users/{id}/delete",
            post(settings_pages::delete_user),
        )
        .route(
            "/dashboard/settings/webhooks/{id}",
            get(settings_pages::webhook),
        )
        .route(
            "/dashboard/settings/webhooks/{id}/test",
            post(settings_pages::webhook_test),
        )
        .route(
            "/dashboard/settings/webhooks/{id}/verify",
            post(settings_pages::webhook_verify),
        )
        .route(
            "/dashboard/settings/webhooks/{id}/deliveries/{delivery}/retry",
            post(settings_pages::webhook_retry),
        )
}
