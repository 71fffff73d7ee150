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
