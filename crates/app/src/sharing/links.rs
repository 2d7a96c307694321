//! What an indicator's links to incidents and alerts may show its reader.

use std::collections::HashMap;

use irnet_domain::Tlp;
use irnet_domain::ids::{AlertId, IncidentId};
use irnet_store::DbConn;
use irnet_store::sharing::IndicatorRow;

use crate::{Actor, AppError};

/// The incidents and alerts that indicators link to which the reader may open: an indicator
/// readable to many (GREEN) may point at a record readable to few (a TLP:RED incident), and its
/// id is shown only to those who may follow it. Asked once for a whole page, through the
/// policy's read rules compiled in SQL.
#[derive(Debug, Default)]
pub(crate) struct Links {
    incidents: HashMap<IncidentId, Tlp>,
    /// title and TLP of each readable alert
    alerts: HashMap<AlertId, (String, Tlp)>,
}

impl Links {
    pub(crate) fn of(
        conn: &mut DbConn,
        actor: &Actor,
        rows: &[IndicatorRow],
    ) -> Result<Links, AppError> {
        let p = &actor.principal;
        fn distinct<T: Ord + Clone>(ids: Vec<&T>) -> Vec<T> {
            let set: std::collections::BTreeSet<T> = ids.into_iter().cloned().collect();
            set.into_iter().collect()
        }
        let incident_ids: Vec<IncidentId> =
            distinct(rows.iter().filter_map(|r| r.incident_id.as_ref()).collect());
        let alert_ids: Vec<AlertId> =
            distinct(rows.iter().filter_map(|r| r.alert_id.as_ref()).collect());
        let mut links = Links::default();
        if !incident_ids.is_empty() {
            let readable = irnet_store::incidents::readable_among(
                conn,
                &p.incident_read_rule(),
                p.user_id.as_str(),
                &incident_ids,
            )?;
            for (id, tlp) in readable {
                links.incidents.insert(id, tlp);
            }
        }
        if !alert_ids.is_empty() {
            let filter = irnet_store::alerts::Filter {
                own_org: p.org_id.as_str().to_owned(),
                ..Default::default()
            };
            let readable = irnet_store::alerts::readable_among(
                conn,
                &p.alert_read_rule(),
                &filter,
                &alert_ids,
            )?;
            for a in readable {
                links.alerts.insert(a.id, (a.title, a.tlp));
            }
        }
        Ok(links)
    }

    /// The linked incident's id, if the reader may open it.
    pub(crate) fn incident(&self, id: Option<&IncidentId>) -> Option<String> {
        id.filter(|i| self.incidents.contains_key(*i))
            .map(IncidentId::to_string)
    }

    /// The linked alert's id, if the reader may open it.
    pub(crate) fn alert(&self, id: Option<&AlertId>) -> Option<String> {
        id.filter(|i| self.alerts.contains_key(*i))
            .map(AlertId::to_string)
    }

    /// The linked alert's title, if the reader may read the alert and its TLP may travel under
    /// `marking` (what it is exported under): never an AMBER+STRICT title in a GREEN event.
    pub(crate) fn alert_title_under(&self, id: Option<&AlertId>, marking: Tlp) -> Option<&str> {
        let (title, tlp) = self.alerts.get(id?)?;
        marking.may_carry(*tlp).then_some(title.as_str())
    }
}
