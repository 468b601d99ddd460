//! [`PassportStore`] on PostgreSQL, and the passport changes of a commit.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::passport::{Passport, PassportId};
use tsunagu_domain::person::PersonId;
use tsunagu_store::codec::{decode_passport, encode_passport};
use tsunagu_store::{PassportStore, StoreResult};

use crate::{PostgresStore, db_err, execute, query_opt, versioned_refusal};

fn passport_at(r: &Row) -> StoreResult<Passport> {
    let body: &str = r.try_get(3).map_err(db_err)?;
    Ok(Passport {
        id: PassportId(r.try_get(0).map_err(db_err)?),
        prefecture: r.try_get(1).map_err(db_err)?,
        person: PersonId(r.try_get(2).map_err(db_err)?),
        fields: decode_passport(body)?,
        recorded_by: AccountId(r.try_get(4).map_err(db_err)?),
        version: r.try_get(5).map_err(db_err)?,
        updated_at: r.try_get(6).map_err(db_err)?,
    })
}

/// Adds the passport (a second for the same person is a duplicate), or replaces it if the stored
/// one is still at version `expected`.
pub(crate) async fn save_passport_in(c: &impl GenericClient, k: &Passport, expected: Option<i64>) -> StoreResult<()> {
    let body = encode_passport(&k.fields)?;
    let written = match expected {
        None => {
            execute(
                c,
                "INSERT INTO passports (id, prefecture, person_id, body, recorded_by, version, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[&k.id.0, &k.prefecture, &k.person.0, &body, &k.recorded_by.0, &k.version, &k.updated_at],
            )
            .await?
        }
        Some(expected) => {
            execute(
                c,
                "UPDATE passports SET body = $3, recorded_by = $4, version = $5, updated_at = $6
                 WHERE id = $1 AND prefecture = $2 AND version = $7",
                &[&k.id.0, &k.prefecture, &body, &k.recorded_by.0, &k.version, &k.updated_at, &expected],
            )
            .await?
        }
    };
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal(c, "passports", "passport", &k.id.0, &k.prefecture, expected).await)
}

#[async_trait]
impl PassportStore for PostgresStore {
    async fn passport_of_person(&self, person: PersonId) -> StoreResult<Option<Passport>> {
        let client = self.client().await?;
        let sql = "SELECT id, prefecture, person_id, body, recorded_by, version, updated_at FROM passports
                   WHERE person_id = $1 AND prefecture = $2";
        query_opt(&client, sql, &[&person.0, &&*self.prefecture]).await?.map(|r| passport_at(&r)).transpose()
    }
}
