//! The audit log's pure parts: who can act, the name of what they did, the pseudonym
//! that stands for a candidate id, and time-sortable event ids.

use crate::id::{AuditEventId, OrgId, random_token};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU32, Ordering};

/// Who did something.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActorType {
    /// An integration, by the API key it authenticated with.
    ApiKey,
    /// A dashboard user.
    User,
    /// A candidate, by the pseudonym of their id (never the id itself).
    Candidate,
    /// talentd itself (a scheduled sweep, a job).
    System,
}

impl ActorType {
    pub const ALL: [ActorType; 4] = [
        ActorType::ApiKey,
        ActorType::User,
        ActorType::Candidate,
        ActorType::System,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActorType::ApiKey => "api_key",
            ActorType::User => "user",
            ActorType::Candidate => "candidate",
            ActorType::System => "system",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// The prefix of a candidate pseudonym.
pub const CANDIDATE_PSEUDONYM_PREFIX: &str = "cand#";

/// What the audit log keeps instead of a candidate id: `cand#` and the first 16 hex
/// characters of SHA-256 of `org_id:candidate_id`.
///
/// Candidate ids are chosen by the client and may be personal (an email). The log is
/// append-only, so it must never hold one: erasing a candidate then leaves nothing here
/// that names them. Whoever knows the id can still find its events (the erasure does, to
/// record that it happened), but the pseudonym cannot be turned back into the id.
pub fn candidate_pseudonym(org: &OrgId, candidate_id: &str) -> String {
    let digest = Sha256::digest(format!("{}:{candidate_id}", org.as_str()).as_bytes());
    let hex = hex::encode(digest);
    format!("{CANDIDATE_PSEUDONYM_PREFIX}{}", &hex[..16])
}

/// A fresh event id: `aud_`, the time in milliseconds as 12 hex digits, a sequence
/// number of this process as 6 hex digits, then 8 random characters. Ids sort in the
/// order events were recorded: by the millisecond, and within one millisecond in the
/// order this process recorded them.
pub fn new_event_id(now_ms: i64) -> AuditEventId {
    static SEQUENCE: AtomicU32 = AtomicU32::new(0);
    let seq = SEQUENCE.fetch_add(1, Ordering::Relaxed) & 0xff_ffff;
    AuditEventId::from_trusted(format!(
        "{}{:012x}{seq:06x}{}",
        AuditEventId::PREFIX,
        now_ms.clamp(0, 0xffff_ffff_ffff),
        random_token(8)
    ))
}

/// Actions whose name is not what the route's shape says.
const NAMED_ROUTES: &[(&str, &str, &str)] = &[
    ("POST", "/dashboard/sign-in", "user.sign_in"),
    ("POST", "/dashboard/sign-out", "user.sign_out"),
    ("POST", "/dashboard/culture", "culture.sort"),
];

/// The action a write route performs, from its method and route template.
///
/// The route's literal segments after `/v1/` (or `/dashboard/`, whose `settings/`
/// grouping is dropped) name the resource, joined with dots, hyphens as underscores;
/// path parameters are left out. The verb comes last: a POST to a collection is
/// `create`, a POST to one item is `update`, a POST to a named action is that action
/// (`/v1/api-keys/{id}/rotate` is `api_keys.rotate`, `/v1/candidates/compare` is
/// `candidates.compare`); PUT and PATCH are `update`, DELETE is `delete`. So a project
/// made in the dashboard and one made through the API are both `projects.create`.
pub fn action_for(method: &str, route: &str) -> String {
    if let Some((_, _, named)) = NAMED_ROUTES
        .iter()
        .find(|(m, r, _)| m.eq_ignore_ascii_case(method) && *r == route)
    {
        return (*named).to_owned();
    }
    let rest = if let Some(r) = route.strip_prefix("/v1/") {
        r
    } else if let Some(r) = route.strip_prefix("/dashboard/") {
        r.strip_prefix("settings/").unwrap_or(r)
    } else {
        route.trim_start_matches('/')
    };
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let is_param = |s: &str| s.starts_with('{');
    let mut nouns: Vec<String> = segments
        .iter()
        .filter(|s| !is_param(s))
        .map(|s| s.replace('-', "_"))
        .collect();
    let last_is_param = segments.last().is_some_and(|s| is_param(s));
    let verb = match method.to_ascii_uppercase().as_str() {
        "POST" if last_is_param => "update".to_owned(),
        // A literal after another segment names an action on what precedes it.
        "POST" if segments.len() > 1 => nouns.pop().unwrap_or_default(),
        "POST" => "create".to_owned(),
        "PUT" | "PATCH" => "update".to_owned(),
        "DELETE" => "delete".to_owned(),
        other => other.to_ascii_lowercase(),
    };
    if nouns.is_empty() {
        return verb;
    }
    format!("{}.{verb}", nouns.join("."))
}

/// The target an event records for a route's path parameters (`(name, value)` in path
/// order): the last one's value, the most specific thing the route names. A parameter
/// that follows a `candidates` segment is a client's candidate id and is replaced by its
/// [`candidate_pseudonym`].
pub fn target_of(org: &OrgId, route: &str, params: &[(&str, &str)]) -> Option<String> {
    let (name, value) = params.last()?;
    let placeholder = format!("{{{name}}}");
    let segments: Vec<&str> = route.split('/').collect();
    let follows_candidates = segments
        .iter()
        .position(|s| *s == placeholder)
        .is_some_and(|i| i > 0 && segments[i - 1] == "candidates");
    Some(if follows_candidates {
        candidate_pseudonym(org, value)
    } else {
        (*value).to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pseudonym_is_stable_per_organisation_and_hides_the_id() {
        let org = OrgId::from_trusted("org_a".into());
        let p = candidate_pseudonym(&org, "ana@example.com");
        assert_eq!(p, candidate_pseudonym(&org, "ana@example.com"));
        assert!(p.starts_with("cand#"));
        assert_eq!(p.len(), 5 + 16);
        assert!(p[5..].bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(!p.contains("ana"));
        let other = OrgId::from_trusted("org_b".into());
        assert_ne!(p, candidate_pseudonym(&other, "ana@example.com"));
        // SHA-256("org_a:ana@example.com"), computed apart.
        let expected = hex::encode(Sha256::digest(b"org_a:ana@example.com"));
        assert_eq!(&p[5..], &expected[..16]);
    }

    #[test]
    fn event_ids_sort_by_time_and_parse_back() {
        let a = new_event_id(1_780_000_000_000);
        let b = new_event_id(1_780_000_000_001);
        let c = new_event_id(1_790_000_000_000);
        assert!(a < b && b < c, "{a} {b} {c}");
        // Within one millisecond, in the order they were made.
        let same: Vec<_> = (0..50).map(|_| new_event_id(1_000)).collect();
        assert!(same.windows(2).all(|w| w[0] < w[1]), "{same:?}");
        assert!(a.as_str().starts_with("aud_"));
        assert_eq!(AuditEventId::parse(a.as_str()), Some(a));
    }

    #[test]
    fn actions_are_named_from_the_route() {
        for (method, route, action) in [
            ("POST", "/v1/projects", "projects.create"),
            ("PATCH", "/v1/projects/{id}", "projects.update"),
            ("DELETE", "/v1/projects/{id}", "projects.delete"),
            ("POST", "/v1/api-keys/{id}/rotate", "api_keys.rotate"),
            (
                "POST",
                "/v1/webhooks/{id}/rotate-secret",
                "webhooks.rotate_secret",
            ),
            (
                "POST",
                "/v1/webhooks/{id}/deliveries/{delivery_id}/retry",
                "webhooks.deliveries.retry",
            ),
            ("PUT", "/v1/culture/profile", "culture.profile.update"),
            ("POST", "/v1/culture/fit", "culture.fit"),
            ("POST", "/v1/candidates/compare", "candidates.compare"),
            ("PATCH", "/v1/settings", "settings.update"),
            ("POST", "/dashboard/projects", "projects.create"),
            ("POST", "/dashboard/projects/{id}", "projects.update"),
            ("POST", "/dashboard/projects/{id}/close", "projects.close"),
            ("POST", "/dashboard/settings/api-keys", "api_keys.create"),
            (
                "POST",
                "/dashboard/settings/users/{id}/delete",
                "users.delete",
            ),
            ("POST", "/dashboard/sign-in", "user.sign_in"),
            ("POST", "/dashboard/culture", "culture.sort"),
        ] {
            assert_eq!(action_for(method, route), action, "{method} {route}");
        }
    }

    #[test]
    fn targets_are_the_last_parameter_and_candidates_are_pseudonymised() {
        let org = OrgId::from_trusted("org_a".into());
        assert_eq!(
            target_of(&org, "/v1/projects/{id}", &[("id", "prj_1")]).as_deref(),
            Some("prj_1")
        );
        assert_eq!(
            target_of(
                &org,
                "/v1/webhooks/{id}/deliveries/{delivery_id}/retry",
                &[("id", "wh_1"), ("delivery_id", "dlv_1")]
            )
            .as_deref(),
            Some("dlv_1")
        );
        assert_eq!(
            target_of(&org, "/v1/candidates/{id}/report", &[("id", "ana@x.io")]),
            Some(candidate_pseudonym(&org, "ana@x.io"))
        );
        assert_eq!(target_of(&org, "/v1/candidates/compare", &[]), None);
    }

    #[test]
    fn actor_types_round_trip() {
        for a in ActorType::ALL {
            assert_eq!(ActorType::parse(a.as_str()), Some(a));
        }
        assert_eq!(ActorType::parse("admin"), None);
    }
}
