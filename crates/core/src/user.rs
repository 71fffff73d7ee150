//! Dashboard users and what each role may do.

use serde::{Deserialize, Serialize};

/// What a user may do in the dashboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, including API keys, webhooks and users.
    Admin,
    /// Projects, interviews, candidates and the culture profile.
    Recruiter,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Recruiter => "recruiter",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Role::Admin, Role::Recruiter]
            .into_iter()
            .find(|r| r.as_str() == s)
    }

    /// Whether the role manages the organisation's settings (keys, webhooks, users).
    pub fn manages_settings(self) -> bool {
        self == Role::Admin
    }
}

/// An email address as users type it, normalised for lookups: trimmed and lowercased.
/// `None` unless it looks like `local@domain.tld`.
pub fn normalise_email(raw: &str) -> Option<String> {
    let e = raw.trim().to_lowercase();
    let (local, domain) = e.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && e.len() <= 254
        && !e
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
    ok.then_some(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_or_refused() {
        assert_eq!(
            normalise_email("  Ana@Example.COM ").as_deref(),
            Some("ana@example.com")
        );
        for bad in [
            "",
            "ana",
            "@example.com",
            "ana@example",
            "a b@example.com",
            "ana@.com",
        ] {
            assert_eq!(normalise_email(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_admins_manage_settings() {
        assert!(Role::Admin.manages_settings());
        assert!(!Role::Recruiter.manages_settings());
        assert_eq!(Role::parse("recruiter"), Some(Role::Recruiter));
        assert_eq!(Role::parse("owner"), None);
    }
}
