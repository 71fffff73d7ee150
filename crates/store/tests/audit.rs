//! The audit log on a real database (SQLite, or PostgreSQL with
//! `TALENTD_TEST_DATABASE_URL`): written and read back in order and by filter, and
//! refused by the database itself when anything tries to change or remove an entry.

use std::sync::Arc;
use talentd_core::OrgId;
use talentd_core::audit::{ActorType, candidate_pseudonym, new_event_id};
use talentd_store::{AuditFilter, Backend, NewAuditEvent, Store};

async fn store() -> (Arc<dyn Store>, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (store, url) = talentd_store::testing::fresh_store(dir.path()).await;
    (store, url, dir)
}

async fn org(store: &dyn Store) -> OrgId {
    talentd_store::testing::new_org(store).await
}

fn by_key(org: &OrgId, key: &str, route: &str, target: Option<&str>, at: i64) -> NewAuditEvent {
    NewAuditEvent {
        id: new_event_id(at),
        org_id: org.clone(),
        actor_type: ActorType::ApiKey,
        actor_id: key.into(),
        actor_label: "ATS".into(),
        action: talentd_core::audit::action_for("PATCH", route),
        method: Some("PATCH".into()),
        route: Some(route.into()),
        target_id: target.map(str::to_owned),
        status: Some(200),
        request_id: Some("req_1".into()),
        created_at: at,
    }
}

#[tokio::test]
async fn events_are_listed_newest_first_by_filter_and_per_organisation() {
    let (store, _, _dir) = store().await;
    let org = org(&*store).await;
    let other = self::org(&*store).await;
    let a = by_key(&org, "key_a", "/v1/projects/{id}", Some("prj_1"), 1_000);
    let b = by_key(&org, "key_b", "/v1/webhooks/{id}", Some("wh_1"), 2_000);
    let c = NewAuditEvent::candidate(&org, "ana@example.com", "candidates.erase", None, 3_000);
    let d = NewAuditEvent::system(&org, "retention", "recordings.purge", None, 4_000);
    for e in [&a, &b, &c, &d] {
        store.record_audit(e).await.unwrap();
    }
    store
        .record_audit(&by_key(&other, "key_x", "/v1/projects/{id}", None, 1_500))
        .await
        .unwrap();

    let all = store
        .list_audit_events(&org, &AuditFilter::default(), 10, 0)
        .await
        .unwrap();
    assert_eq!(all.total, 4);
    assert_eq!(all.items, vec![d.clone(), c.clone(), b.clone(), a.clone()]);
    let second = store
        .list_audit_events(&org, &AuditFilter::default(), 2, 2)
        .await
        .unwrap();
    assert_eq!(
        (second.total, second.items),
        (4, vec![b.clone(), a.clone()])
    );

    let only = |f: AuditFilter| {
        let store = store.clone();
        let org = org.clone();
        async move {
            store
                .list_audit_events(&org, &f, 10, 0)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|e| e.id)
                .collect::<Vec<_>>()
        }
    };
    let f = AuditFilter {
        actor_id: Some("key_a".into()),
        ..AuditFilter::default()
    };
    assert_eq!(only(f).await, vec![a.id.clone()]);
    let f = AuditFilter {
        route: Some("/v1/webhooks/{id}".into()),
        ..AuditFilter::default()
    };
    assert_eq!(only(f).await, vec![b.id.clone()]);
    let f = AuditFilter {
        action: Some("recordings.purge".into()),
        ..AuditFilter::default()
    };
    assert_eq!(only(f).await, vec![d.id.clone()]);
    let f = AuditFilter {
        actor_id: Some(candidate_pseudonym(&org, "ana@example.com")),
        ..AuditFilter::default()
    };
    assert_eq!(only(f).await, vec![c.id.clone()]);
    let f = AuditFilter {
        target_id: Some("prj_1".into()),
        ..AuditFilter::default()
    };
    assert_eq!(only(f).await, vec![a.id.clone()]);
    let f = AuditFilter {
        since: Some(2_000),
        until: Some(4_000),
        ..AuditFilter::default()
    };
    assert_eq!(only(f).await, vec![c.id.clone(), b.id.clone()]);
}

#[tokio::test]
async fn the_database_refuses_to_change_or_remove_an_entry() {
    let (store, url, _dir) = store().await;
    let org = org(&*store).await;
    let e = by_key(&org, "key_a", "/v1/projects/{id}", Some("prj_1"), 1_000);
    store.record_audit(&e).await.unwrap();

    // A connection of its own, as an operator's SQL shell would have: the refusal must
    // come from the database, not from the store's code.
    sqlx::any::install_default_drivers();
    // One connection, so that SQLite's per-connection foreign-key switch holds for all.
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap();
    if store.backend() == Backend::Sqlite {
        sqlx::query("PRAGMA foreign_keys = ON")
            .execute(&pool)
            .await
            .unwrap();
    }
    let statements = [
        "UPDATE audit_events SET actor_label = 'someone else'",
        "UPDATE audit_events SET status = 500 WHERE id = $1",
        "DELETE FROM audit_events WHERE id = $1",
        "DELETE FROM audit_events",
    ];
    for sql in statements {
        let q = sqlx::query(sql);
        let q = if sql.contains("$1") {
            q.bind(e.id.as_str())
        } else {
            q
        };
        let err = q.execute(&pool).await.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    if store.backend() == Backend::Postgres {
        let err = sqlx::query("TRUNCATE audit_events")
            .execute(&pool)
            .await
            .expect_err("truncate");
        assert!(err.to_string().contains("append-only"), "{err}");
    }
    // Nor can the organisation be deleted from under its log.
    assert!(
        sqlx::query("DELETE FROM orgs WHERE id = $1")
            .bind(org.as_str())
            .execute(&pool)
            .await
            .is_err()
    );
    pool.close().await;

    let page = store
        .list_audit_events(&org, &AuditFilter::default(), 10, 0)
        .await
        .unwrap();
    assert_eq!(page.items, vec![e]);
}
