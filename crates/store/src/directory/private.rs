//! Whose private directory part (people, focal points, systems) a reader may see, as a list of
//! organisation ids for the exports: the app turns `Principal::private_read_rule` into this, so
//! that exports are filtered in SQL with the policy's own decision, never loaded whole and
//! sifted. (Search compiles the same rule into a join instead: `store::access`.)

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::DbConn;
use crate::schema::cluster_memberships;

#[derive(Debug, Clone)]
pub enum PrivateScope {
    All,
    /// the reader's organisations, and the members on `day` of the clusters the reader leads
    Some {
        orgs: Vec<String>,
        led_clusters: Vec<String>,
        day: NaiveDate,
    },
}

/// The organisations `scope` admits, or `None` for all of them. Cluster members are those of
/// `day` (membership periods are half-open).
pub fn org_ids(conn: &mut DbConn, scope: &PrivateScope) -> QueryResult<Option<Vec<String>>> {
    let PrivateScope::Some {
        orgs,
        led_clusters,
        day,
    } = scope
    else {
        return Ok(None);
    };
    let mut ids: Vec<String> = if led_clusters.is_empty() {
        vec![]
    } else {
        cluster_memberships::table
            .filter(cluster_memberships::cluster_id.eq_any(led_clusters.clone()))
            .filter(cluster_memberships::valid_from.le(*day))
            .filter(
                cluster_memberships::valid_to
                    .is_null()
                    .or(cluster_memberships::valid_to.gt(*day)),
            )
            .select(cluster_memberships::org_id)
            .load(conn)?
    };
    ids.extend(orgs.iter().cloned());
    ids.sort();
    ids.dedup();
    Ok(Some(ids))
}
