//! The OpenAPI 3.1 document, assembled from every resource module's routes.

use crate::AppState;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "talentd API",
        description = "Self-hosted AI interviews: projects with an interview link for Tami, \
interview analysis with evidence-backed soft-skill scores, reports, culture fit and signed \
webhooks. Authenticate with `Authorization: Bearer <API key>`. Every response carries \
`X-Request-Id`; authenticated ones carry the plan's rate-limit headers. Errors always have \
the body `{\"success\": false, \"error\": {\"code\", \"message\", \"param\"?, \"request_id\"}}`.",
        license(name = "Apache-2.0"),
    ),
    modifiers(&BearerAuth),
    components(schemas(crate::error::ErrorBody)),
    tags(
        (name = "projects", description = "Interview configurations with instructions for Tami and an interview link"),
        (name = "templates", description = "Question plans tagged with the competencies they probe"),
        (name = "api-keys", description = "The organisation's API keys"),
        (name = "events", description = "The organisation's event log (what webhooks deliver)"),
        (name = "interviews", description = "Interviews to analyse: recordings or transcripts in; scores, evidence and reports out"),
        (name = "candidates", description = "Candidates: scores, reports and comparison"),
        (name = "erasures", description = "Receipts of candidates' erasures: what was deleted, and when"),
        (name = "vacancies", description = "Vacancies and the competency weights of their match score"),
        (name = "culture", description = "The company's culture profile (OCP) and candidates' fit"),
        (name = "webhooks", description = "Signed event deliveries to the organisation's endpoints"),
        (name = "settings", description = "The organisation's settings"),
        (name = "sessions", description = "Interviews held with Tami through a project's link: transcript, scores, analysis, integrity flags"),
        (name = "live", description = "The candidate's side of an interview with Tami (no API key: a session token from the start). Used by the page at `interview_url`; any front end may use it"),
        (name = "reports", description = "Trust reports: adverse impact by candidates' voluntary demographics, and agreement between recruiters' decisions and the AI"),
        (name = "audit", description = "The append-only audit log: who (an API key, a dashboard user) did what and when, for every write"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("API key (tk_live_...)")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("session token (sst_...) from the session's start")
                    .build(),
            ),
        );
        openapi.security = Some(vec![SecurityRequirement::new(
            "bearer",
            Vec::<String>::new(),
        )]);
    }
}

/// Completes the assembled document.
pub(crate) fn finish(api: &mut utoipa::openapi::OpenApi) {
    CommonErrors.modify(api);
    optional_bodies(api);
    api.webhooks = Some(crate::webhooks::openapi_webhooks());
}

/// Adds the answers operations give whatever their handler: 400 for a malformed query
/// or body wherever there is one to send, and 401 and 429 to every authenticated one.
struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::{
            ContentBuilder, HeaderBuilder, ObjectBuilder, Ref, RefOr, ResponseBuilder, Type,
        };
        let body = || {
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build()
        };
        let unauthorized = ResponseBuilder::new()
            .description("Missing, malformed, unknown or revoked API key")
            .content("application/json", body())
            .build();
        let int_header = |d: &str| {
            HeaderBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(Type::Integer)))
                .description(Some(d))
                .build()
        };
        let limited = ResponseBuilder::new()
            .description("Rate limit of the plan exceeded")
            .content("application/json", body())
            .header(
                "Retry-After",
                int_header("Seconds until the exhausted window resets"),
            )
            .header(
                "X-RateLimit-Limit",
                int_header("Requests allowed in the window closest to exhaustion"),
            )
            .header(
                "X-RateLimit-Remaining",
                int_header("Requests left in that window"),
            )
            .header(
                "X-RateLimit-Reset",
                int_header("Unix time (seconds) at which that window resets"),
            )
            .build();
        let invalid = ResponseBuilder::new()
            .description("A malformed query parameter or body; `error.param` names the field")
            .content("application/json", body())
            .build();
        for (path, item) in openapi.paths.paths.iter_mut() {
            let authenticated = path.starts_with("/v1/") && !path.starts_with("/v1/public/");
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let has_query = op
                    .parameters
                    .iter()
                    .flatten()
                    .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query));
                if has_query || op.request_body.is_some() {
                    op.responses
                        .responses
                        .entry("400".into())
                        .or_insert(invalid.clone().into());
                }
                if !authenticated {
                    continue;
                }
                op.responses
                    .responses
                    .entry("401".into())
                    .or_insert(unauthorized.clone().into());
                op.responses
                    .responses
                    .entry("429".into())
                    .or_insert(limited.clone().into());
            }
        }
    }
}

/// Marks a JSON body with no required field as optional: [`crate::extract::Json`] reads
/// an empty body as `{}`, so such a body may be left out.
fn optional_bodies(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{RefOr, Required, schema::Schema};
    let Some(components) = api.components.as_ref() else {
        return;
    };
    let schemas = &components.schemas;
    for item in api.paths.paths.values_mut() {
        for op in [
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            let Some(RefOr::T(body)) = op.request_body.as_mut() else {
                continue;
            };
            let schema = match body.content.get("application/json") {
                Some(RefOr::T(c)) if body.content.len() == 1 => c.schema.as_ref(),
                _ => None,
            };
            let schema = match schema {
                Some(RefOr::Ref(r)) => r
                    .ref_location
                    .strip_prefix("#/components/schemas/")
                    .and_then(|name| schemas.get(name)),
                other => other,
            };
            if let Some(RefOr::T(Schema::Object(o))) = schema
                && o.required.is_empty()
            {
                body.required = Some(Required::False);
            }
        }
    }
}

/// Every authenticated `/v1` route.
pub(crate) fn v1_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::projects::router())
        .merge(crate::templates::router())
        .merge(crate::api_keys::router())
        .merge(crate::events::router())
        .merge(crate::interviews::router())
        .merge(crate::candidates::router())
        .merge(crate::erasures::router())
        .merge(crate::explanation::router())
        .merge(crate::culture::router())
        .merge(crate::vacancies::router())
        .merge(crate::webhooks::router())
        .merge(crate::settings::router())
        .merge(crate::sessions::router())
        .merge(crate::audit::router())
        .merge(crate::demographics::router())
        .merge(crate::candidate_requests::router())
        .merge(crate::decisions::router())
        .merge(crate::reports::router())
}

/// Routes without authentication, added to the document `api`.
pub(crate) fn public_router(api: utoipa::openapi::OpenApi) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(api)
        .merge(crate::health::router())
        .merge(crate::live::router())
}
