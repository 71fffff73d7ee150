//! Dashboard users and their sign-in sessions. A session is found by the SHA-256 of its
//! cookie, so the database never holds a usable cookie.

use crate::{SqlStore, StoreError};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};
use talentd_core::user::Role;
use talentd_core::{OrgId, UserId};

/// A user as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct UserRow {
    pub id: UserId,
    pub org_id: OrgId,
    /// Normalised (trimmed, lowercase); unique across organisations.
    pub email: String,
    /// Argon2id in PHC string form.
    pub password_hash: String,
    pub role: Role,
    /// `en` or `ru`; `None` follows the browser.
    pub language: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_sign_in_at: Option<i64>,
}

const COLUMNS: &str =
    "id, org_id, email, password_hash, role, language, created_at, updated_at, last_sign_in_at";

impl FromRow<'_, AnyRow> for UserRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        let role: String = r.try_get("role")?;
        Ok(Self {
            id: UserId::from_trusted(r.try_get("id")?),
            org_id: OrgId::from_trusted(r.try_get("org_id")?),
            email: r.try_get("email")?,
            password_hash: r.try_get("password_hash")?,
            role: Role::parse(&role)
                .ok_or_else(|| sqlx::Error::Decode(format!("role {role}").into()))?,
            language: r.try_get("language")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
            last_sign_in_at: r.try_get("last_sign_in_at")?,
        })
    }
}

/// A signed-in session.
#[derive(Clone, Debug, PartialEq)]
pub struct WebSessionRow {
    /// SHA-256 (hex) of the cookie's token.
    pub id_hash: String,
    pub user_id: UserId,
    /// Every form of the session carries it.
    pub csrf_token: String,
    pub created_at: i64,
    /// Moved forward as the session is used.
    pub expires_at: i64,
    pub last_seen_at: i64,
}

impl FromRow<'_, AnyRow> for WebSessionRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id_hash: r.try_get("id_hash")?,
            user_id: UserId::from_trusted(r.try_get("user_id")?),
            csrf_token: r.try_get("csrf_token")?,
            created_at: r.try_get("created_at")?,
            expires_at: r.try_get("expires_at")?,
            last_seen_at: r.try_get("last_seen_at")?,
        })
    }
}

#[async_trait::async_trait]
pub trait UserStore {
    /// Creates a user; [`StoreError::Conflict`] if the email is taken.
    async fn create_user(&self, user: &UserRow) -> Result<(), StoreError>;
    async fn get_user_by_email(&self, email: &str) -> Result<Option<UserRow>, StoreError>;
    async fn get_user(&self, org: &OrgId, id: &UserId) -> Result<Option<UserRow>, StoreError>;
    /// The organisation's users, oldest first.
    async fn list_users(&self, org: &OrgId) -> Result<Vec<UserRow>, StoreError>;
    /// Writes role, language and password hash; false if the user no longer exists.
    async fn update_user(&self, user: &UserRow) -> Result<bool, StoreError>;
    /// Deletes a user and its sessions.
    async fn delete_user(&self, org: &OrgId, id: &UserId) -> Result<bool, StoreError>;
    /// Records a sign-in: the new session, and the user's last sign-in time.
    async fn create_web_session(&self, session: &WebSessionRow) -> Result<(), StoreError>;
    /// A session that has not expired at `now`, with its user.
    async fn get_web_session(
        &self,
        id_hash: &str,
        now: i64,
    ) -> Result<Option<(WebSessionRow, UserRow)>, StoreError>;
    /// Moves a session's expiry forward.
    async fn touch_web_session(
        &self,
        id_hash: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError>;
    async fn delete_web_session(&self, id_hash: &str) -> Result<(), StoreError>;
}

#[async_trait::async_trait]
impl UserStore for SqlStore {
    async fn create_user(&self, u: &UserRow) -> Result<(), StoreError> {
        let n = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO users ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL) \
             ON CONFLICT (email) DO NOTHING"
        )))
        .bind(u.id.as_str())
        .bind(u.org_id.as_str())
        .bind(&u.email)
        .bind(&u.password_hash)
        .bind(u.role.as_str())
        .bind(u.language.as_deref())
        .bind(u.created_at)
        .bind(u.updated_at)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::Conflict(
                "a user with this email already exists",
            ));
        }
        Ok(())
    }

    async fn get_user_by_email(&self, email: &str) -> Result<Option<UserRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM users WHERE email = $1"
        )))
        .bind(email)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn get_user(&self, org: &OrgId, id: &UserId) -> Result<Option<UserRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM users WHERE org_id = $1 AND id = $2"
        )))
        .bind(org.as_str())
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn list_users(&self, org: &OrgId) -> Result<Vec<UserRow>, StoreError> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM users WHERE org_id = $1 ORDER BY created_at, id"
        )))
        .bind(org.as_str())
        .fetch_all(&self.pool)
        .await?)
    }

    async fn update_user(&self, u: &UserRow) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "UPDATE users SET role = $3, language = $4, password_hash = $5, updated_at = $6 \
             WHERE org_id = $1 AND id = $2",
        )
        .bind(u.org_id.as_str())
        .bind(u.id.as_str())
        .bind(u.role.as_str())
        .bind(u.language.as_deref())
        .bind(&u.password_hash)
        .bind(u.updated_at)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    async fn delete_user(&self, org: &OrgId, id: &UserId) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM web_sessions WHERE user_id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
        let n = sqlx::query("DELETE FROM users WHERE org_id = $1 AND id = $2")
            .bind(org.as_str())
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(n == 1)
    }

    async fn create_web_session(&self, s: &WebSessionRow) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO web_sessions (id_hash, user_id, csrf_token, created_at, expires_at, \
             last_seen_at) VALUES ($1, $2, $3, $4, $5, $4)",
        )
        .bind(&s.id_hash)
        .bind(s.user_id.as_str())
        .bind(&s.csrf_token)
        .bind(s.created_at)
        .bind(s.expires_at)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE users SET last_sign_in_at = $2 WHERE id = $1")
            .bind(s.user_id.as_str())
            .bind(s.created_at)
            .execute(&mut *tx)
            .await?;
        // Sessions long expired are cleared on the way.
        sqlx::query("DELETE FROM web_sessions WHERE expires_at < $1")
            .bind(s.created_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_web_session(
        &self,
        id_hash: &str,
        now: i64,
    ) -> Result<Option<(WebSessionRow, UserRow)>, StoreError> {
        let session: Option<WebSessionRow> = sqlx::query_as(
            "SELECT id_hash, user_id, csrf_token, created_at, expires_at, last_seen_at \
             FROM web_sessions WHERE id_hash = $1 AND expires_at > $2",
        )
        .bind(id_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(session) = session else {
            return Ok(None);
        };
        let user: Option<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM users WHERE id = $1"
        )))
        .bind(session.user_id.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(user.map(|u| (session, u)))
    }

    async fn touch_web_session(
        &self,
        id_hash: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE web_sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1",
        )
        .bind(id_hash)
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn delete_web_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM web_sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
