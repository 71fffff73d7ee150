//! Creating organisations and keys: shared by the CLI, the demo organisation and the API.

use talentd_core::{ApiKeyId, Clock, OrgId, Plan, apikey, timefmt::to_millis};
use talentd_store::{NewApiKey, OrgRow, Store, StoreError};

/// A new organisation and its first key, whose secret is shown once.
#[derive(Debug, Clone)]
pub struct Provisioned {
    pub org_id: OrgId,
    pub api_key: String,
}

/// Generates a key for `org`: what to store, and the secret to show once.
pub fn new_key(org: &OrgId, name: &str, now_ms: i64) -> (NewApiKey, String) {
    let k = apikey::generate();
    (
        NewApiKey {
            id: ApiKeyId::generate(),
            org_id: org.clone(),
            name: name.to_owned(),
            prefix: k.display_prefix,
            key_hash: k.hash,
            created_at: now_ms,
        },
        k.secret,
    )
}

/// Creates an organisation on `plan` with one API key.
pub async fn create_org(
    store: &dyn Store,
    clock: &dyn Clock,
    name: &str,
    plan: Plan,
) -> Result<Provisioned, StoreError> {
    let now = to_millis(clock.now());
    let org = OrgRow {
        id: OrgId::generate(),
        name: name.to_owned(),
        plan,
        created_at: now,
    };
    let (key, secret) = new_key(&org.id, "default", now);
    store.create_org(&org, &key).await?;
    Ok(Provisioned {
        org_id: org.id,
        api_key: secret,
    })
}

/// Why a user could not be created.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("not an email address: {0}")]
    Email(String),
    #[error("{0}")]
    Password(String),
    #[error("no organisation {0}")]
    NoOrg(OrgId),
    #[error("a user with this email already exists")]
    Taken,
    #[error("cannot hash the password")]
    Hash,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new dashboard user; `password` is the one-time password when none was given.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub user: talentd_store::UserRow,
    pub password: Option<String>,
}

/// Creates a dashboard user in `org` with `password`, or with a generated one-time
/// password that the caller shows once.
pub async fn create_user(
    store: &dyn Store,
    clock: &dyn Clock,
    org: &OrgId,
    email: &str,
    role: talentd_core::user::Role,
    password: Option<&str>,
) -> Result<NewUser, UserError> {
    use crate::dashboard::password as pw;
    let email = talentd_core::user::normalise_email(email)
        .ok_or_else(|| UserError::Email(email.trim().to_owned()))?;
    if store.get_org(org).await?.is_none() {
        return Err(UserError::NoOrg(org.clone()));
    }
    let generated = password.is_none().then(pw::generate);
    let secret = password
        .or(generated.as_deref())
        .unwrap_or_default()
        .to_owned();
    pw::check_strength(&secret).map_err(UserError::Password)?;
    let hash = tokio::task::spawn_blocking(move || pw::hash(&secret))
        .await
        .map_err(|_| UserError::Hash)?
        .map_err(|_| UserError::Hash)?;
    let now = to_millis(clock.now());
    let user = talentd_store::UserRow {
        id: talentd_core::UserId::generate(),
        org_id: org.clone(),
        email,
        password_hash: hash,
        role,
        language: None,
        created_at: now,
        updated_at: now,
        last_sign_in_at: None,
    };
    match store.create_user(&user).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(UserError::Taken),
        Err(e) => return Err(e.into()),
    }
    Ok(NewUser {
        user,
        password: generated,
    })
}
