//! The audit log: who did what and when, for every write. Append-only: this module
//! inserts and reads, and the database's triggers refuse any UPDATE or DELETE.

use crate::{Page, SqlStore, StoreError};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use talentd_core::audit::{ActorType, candidate_pseudonym, new_event_id};
use talentd_core::{AuditEventId, OrgId};

/// An event about to be recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct NewAuditEvent {
    pub id: AuditEventId,
    pub org_id: OrgId,
    pub actor_type: ActorType,
    /// `key_...`, `usr_...`, a candidate's pseudonym (`cand#...`), or a name for talentd
    /// itself (`retention`).
    pub actor_id: String,
    /// The key's name or the user's email at the time, kept as written.
    pub actor_label: String,
    /// What was done: `projects.create`, `user.sign_in` (see
    /// `talentd_core::audit::action_for`).
    pub action: String,
    /// The HTTP method, for events of a request.
    pub method: Option<String>,
    /// The route template (`/v1/projects/{id}`), never the path with its ids.
    pub route: Option<String>,
    /// The id the route names, a candidate's as a pseudonym.
    pub target_id: Option<String>,
    /// The HTTP status answered.
    pub status: Option<i64>,
    pub request_id: Option<String>,
    pub created_at: i64,
}

impl NewAuditEvent {
    /// An event with no request behind it, by talentd itself (`actor` names the part,
    /// e.g. `retention`).
    pub fn system(
        org: &OrgId,
        actor: &str,
        action: &str,
        target_id: Option<String>,
        now: i64,
    ) -> Self {
        Self::bare(org, ActorType::System, actor, "", action, target_id, now)
    }

    /// An event by a candidate, recorded under the pseudonym of their id (never the id).
    pub fn candidate(
        org: &OrgId,
        candidate_id: &str,
        action: &str,
        target_id: Option<String>,
        now: i64,
    ) -> Self {
        let pseudonym = candidate_pseudonym(org, candidate_id);
        Self::bare(
            org,
            ActorType::Candidate,
            &pseudonym,
            "",
            action,
            target_id,
            now,
        )
    }

    fn bare(
        org: &OrgId,
        actor_type: ActorType,
        actor_id: &str,
        actor_label: &str,
        action: &str,
        target_id: Option<String>,
        now: i64,
    ) -> Self {
        Self {
            id: new_event_id(now),
            org_id: org.clone(),
            actor_type,
            actor_id: actor_id.to_owned(),
            actor_label: actor_label.to_owned(),
            action: action.to_owned(),
            method: None,
            route: None,
            target_id,
            status: None,
            request_id: None,
            created_at: now,
        }
    }
}

/// An event as stored.
pub type AuditRow = NewAuditEvent;

struct Stored(AuditRow);

impl FromRow<'_, AnyRow> for Stored {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        let actor_type: String = r.try_get("actor_type")?;
        Ok(Stored(AuditRow {
            id: AuditEventId::from_trusted(r.try_get("id")?),
            org_id: OrgId::from_trusted(r.try_get("org_id")?),
            actor_type: ActorType::parse(&actor_type)
                .ok_or_else(|| sqlx::Error::Decode(format!("actor type {actor_type}").into()))?,
            actor_id: r.try_get("actor_id")?,
            actor_label: r.try_get("actor_label")?,
            action: r.try_get("action")?,
            method: r.try_get("method")?,
            route: r.try_get("route")?,
            target_id: r.try_get("target_id")?,
            status: r.try_get("status")?,
            request_id: r.try_get("request_id")?,
            created_at: r.try_get("created_at")?,
        }))
    }
}

/// Which events to list; every field that is set must match.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuditFilter {
    pub actor_id: Option<String>,
    pub action: Option<String>,
    /// A route template, e.g. `/v1/projects/{id}`.
    pub route: Option<String>,
    pub target_id: Option<String>,
    /// From this time (milliseconds, inclusive).
    pub since: Option<i64>,
    /// Before this time (milliseconds, exclusive).
    pub until: Option<i64>,
}

#[async_trait::async_trait]
pub trait AuditStore {
    /// Appends an event. There is no way to change or remove one.
    async fn record_audit(&self, event: &NewAuditEvent) -> Result<(), StoreError>;
    /// The organisation's events matching `filter`, newest first.
    async fn list_audit_events(
        &self,
        org: &OrgId,
        filter: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Page<AuditRow>, StoreError>;
}

const COLUMNS: &str = "id, org_id, actor_type, actor_id, actor_label, action, method, route, \
                       target_id, status, request_id, created_at";

/// The WHERE clause of `filter` (numbered from `$2`, `$1` being the organisation) and
/// the values to bind, in order.
enum Bind<'a> {
    Text(&'a str),
    Int(i64),
}

fn conditions(filter: &AuditFilter) -> (String, Vec<Bind<'_>>) {
    let mut sql = String::from("org_id = $1");
    let mut binds = Vec::new();
    let text = [
        ("actor_id", &filter.actor_id),
        ("action", &filter.action),
        ("route", &filter.route),
        ("target_id", &filter.target_id),
    ];
    for (column, value) in text {
        if let Some(v) = value {
            binds.push(Bind::Text(v));
            sql.push_str(&format!(" AND {column} = ${}", binds.len() + 1));
        }
    }
    if let Some(t) = filter.since {
        binds.push(Bind::Int(t));
        sql.push_str(&format!(" AND created_at >= ${}", binds.len() + 1));
    }
    if let Some(t) = filter.until {
        binds.push(Bind::Int(t));
        sql.push_str(&format!(" AND created_at < ${}", binds.len() + 1));
    }
    (sql, binds)
}

#[async_trait::async_trait]
impl AuditStore for SqlStore {
    async fn record_audit(&self, e: &NewAuditEvent) -> Result<(), StoreError> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO audit_events ({COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        )))
        .bind(e.id.as_str())
        .bind(e.org_id.as_str())
        .bind(e.actor_type.as_str())
        .bind(&e.actor_id)
        .bind(&e.actor_label)
        .bind(&e.action)
        .bind(e.method.as_deref())
        .bind(e.route.as_deref())
        .bind(e.target_id.as_deref())
        .bind(e.status)
        .bind(e.request_id.as_deref())
        .bind(e.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn list_audit_events(
        &self,
        org: &OrgId,
        filter: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Page<AuditRow>, StoreError> {
        let (condition, binds) = conditions(filter);
        let count_sql = format!("SELECT COUNT(*) FROM audit_events WHERE {condition}");
        let mut count =
            sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(count_sql)).bind(org.as_str());
        for b in &binds {
            count = match b {
                Bind::Text(v) => count.bind(*v),
                Bind::Int(v) => count.bind(*v),
            };
        }
        let (total,) = count.fetch_one(&self.pool).await?;
        let n = binds.len();
        let list_sql = format!(
            "SELECT {COLUMNS} FROM audit_events WHERE {condition} \
             ORDER BY created_at DESC, id DESC LIMIT ${} OFFSET ${}",
            n + 2,
            n + 3
        );
        let mut list =
            sqlx::query_as::<_, Stored>(sqlx::AssertSqlSafe(list_sql)).bind(org.as_str());
        for b in &binds {
            list = match b {
                Bind::Text(v) => list.bind(*v),
                Bind::Int(v) => list.bind(*v),
            };
        }
        let rows = list.bind(limit).bind(offset).fetch_all(&self.pool).await?;
        Ok(Page {
            total,
            items: rows.into_iter().map(|s| s.0).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_number_their_placeholders_after_the_organisation() {
        let f = AuditFilter {
            actor_id: Some("key_1".into()),
            target_id: Some("prj_1".into()),
            since: Some(5),
            until: Some(9),
            ..AuditFilter::default()
        };
        let (sql, binds) = conditions(&f);
        assert_eq!(
            sql,
            "org_id = $1 AND actor_id = $2 AND target_id = $3 AND created_at >= $4 \
             AND created_at < $5"
        );
        assert_eq!(binds.len(), 4);
        assert_eq!(conditions(&AuditFilter::default()).0, "org_id = $1");
    }

    #[test]
    fn candidate_events_carry_the_pseudonym_not_the_id() {
        let org = OrgId::from_trusted("org_a".into());
        let e = NewAuditEvent::candidate(&org, "ana@example.com", "candidates.erase", None, 7);
        assert_eq!(e.actor_type, ActorType::Candidate);
        assert_eq!(e.actor_id, candidate_pseudonym(&org, "ana@example.com"));
        assert!(!format!("{e:?}").contains("ana@"));
    }
}
