//! Typed, prefixed identifiers (`prj_...`, `key_...`). A prefix names the kind of
//! thing an id points at, so an id of the wrong kind is recognised before any lookup.

use rand::Rng;
use rand::distr::Alphanumeric;

/// Random alphanumeric text of `len` characters from the thread-local CSPRNG.
pub fn random_token(len: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

macro_rules! typed_id {
    ($(#[$meta:meta])* $name:ident, $prefix:literal) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The prefix every id of this kind starts with.
            pub const PREFIX: &'static str = $prefix;

            /// A fresh random id.
            pub fn generate() -> Self {
                Self(format!("{}{}", $prefix, random_token(16)))
            }

            /// Accepts only well-formed ids of this kind.
            pub fn parse(s: &str) -> Option<Self> {
                let rest = s.strip_prefix($prefix)?;
                let ok = !rest.is_empty()
                    && rest.len() <= 64
                    && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
                ok.then(|| Self(s.to_owned()))
            }

            /// Wraps a value read back from storage, which was validated when written.
            pub fn from_trusted(s: String) -> Self {
                Self(s)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

typed_id!(
    /// An organisation (tenant).
    OrgId,
    "org_"
);
typed_id!(
    /// An API key's public id (not the secret).
    ApiKeyId,
    "key_"
);
typed_id!(
    /// An interview project.
    ProjectId,
    "prj_"
);
typed_id!(
    /// A person who signs in to the dashboard.
    UserId,
    "usr_"
);
typed_id!(
    /// A question template.
    TemplateId,
    "tpl_"
);
typed_id!(
    /// An event in the outbox.
    EventId,
    "evt_"
);
typed_id!(
    /// A webhook endpoint.
    WebhookId,
    "wh_"
);
typed_id!(
    /// One event's delivery to one webhook endpoint (all its attempts).
    DeliveryId,
    "dlv_"
);
typed_id!(
    /// One HTTP attempt of a delivery.
    AttemptId,
    "att_"
);

typed_id!(
    /// An interview: a TalentMind interview and a talentoBot session are two views of it.
    InterviewId,
    "int_"
);
/// The prefix of a session id: the same interview seen as a talentoBot session.
pub const SESSION_PREFIX: &str = "ses_";

impl InterviewId {
    /// The interview as a session id (`ses_...`, same suffix).
    pub fn session_id(&self) -> String {
        format!("{SESSION_PREFIX}{}", &self.0[Self::PREFIX.len()..])
    }

    /// Accepts a session id (`ses_...`) or an interview id (`int_...`).
    pub fn from_session_id(s: &str) -> Option<Self> {
        match s.strip_prefix(SESSION_PREFIX) {
            Some(rest) => Self::parse(&format!("{}{rest}", Self::PREFIX)),
            None => Self::parse(s),
        }
    }
}

typed_id!(
    /// A job in the durable queue.
    JobId,
    "job_"
);
typed_id!(
    /// A candidate's erasure: the receipt of a request to erase a candidate's data.
    ErasureId,
    "era_"
);
typed_id!(
    /// An entry of the audit log (time-sortable: see `audit::new_event_id`).
    AuditEventId,
    "aud_"
);

/// Client-given ids (candidates, vacancies) are kept as given: 1 to 128 characters of
/// letters, digits and `_ - . : @`.
pub fn valid_external_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':' | b'@'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_id_is_its_interview_id_with_another_prefix() {
        let id = InterviewId::generate();
        let ses = id.session_id();
        assert!(ses.starts_with("ses_"));
        assert_eq!(ses[4..], id.as_str()[4..]);
        assert_eq!(InterviewId::from_session_id(&ses), Some(id.clone()));
        assert_eq!(InterviewId::from_session_id(id.as_str()), Some(id));
        assert_eq!(InterviewId::from_session_id("ses_"), None);
        assert_eq!(InterviewId::from_session_id("prj_abc"), None);
        assert_eq!(InterviewId::from_session_id("ses_a-b"), None);
    }

    #[test]
    fn generated_ids_carry_their_prefix_and_parse_back() {
        let id = ProjectId::generate();
        assert!(id.as_str().starts_with("prj_"));
        assert_eq!(id.as_str().len(), 20);
        assert_eq!(ProjectId::parse(id.as_str()), Some(id));
    }

    #[test]
    fn ids_of_another_kind_or_malformed_are_refused() {
        assert!(ProjectId::parse("tpl_abc").is_none());
        assert!(ProjectId::parse("prj_").is_none());
        assert!(ProjectId::parse("prj_a/b").is_none());
        assert!(ProjectId::parse(&format!("prj_{}", "a".repeat(65))).is_none());
    }
}
