//! Typed row fields (ids, `Tlp`, statuses, channels) go into the database as the text they always
//! were and come back as the same values on both backends; text that is no value we write fails
//! the read instead of becoming a guess.

use irnet_domain::alert::{self, ActionStatus};
use irnet_domain::ids::{ClusterId, IncidentId, MessageId};
use irnet_domain::incident::Status;
use irnet_domain::{Channel, Tlp};
use irnet_store::diesel::prelude::*;
use irnet_store::diesel::sql_types::Text;
use irnet_store::{Store, StoreError};
use irnet_testkit::{Backend, TestDb, both};

/// Binds `$value` as a parameter and reads it back as `$t`, through the store's own connection.
macro_rules! round_trip {
    ($c:expr, $value:expr, $t:ty) => {
        irnet_store::diesel::select($value.into_sql::<Text>()).get_result::<$t>($c)
    };
}

#[both]
async fn typed_fields_round_trip(backend: Backend) {
    let db = TestDb::new(backend);
    let store = Store::open(db.target.clone(), 1).await.unwrap();
    store
        .read(move |c| {
            let id = IncidentId::new();
            let text: String = round_trip!(c, &id, String)?;
            assert_eq!(
                text,
                id.as_str(),
                "{backend:?}: an id is stored as its text"
            );
            let back: IncidentId = round_trip!(c, id.as_str(), IncidentId)?;
            assert_eq!(back, id, "{backend:?}");

            for tlp in Tlp::ALL {
                let text: String = round_trip!(c, tlp, String)?;
                assert_eq!(text, tlp.as_str(), "{backend:?}");
                let back: Tlp = round_trip!(c, tlp.as_str(), Tlp)?;
                assert_eq!(back, tlp, "{backend:?}");
            }
            for status in Status::ALL {
                let text: String = round_trip!(c, status, String)?;
                assert_eq!(text, status.as_str(), "{backend:?}");
                let back: Status = round_trip!(c, status.as_str(), Status)?;
                assert_eq!(back, status, "{backend:?}");
            }

            // Fail closed: `Tlp::parse` would read these, a stored marking must be exact.
            for unknown in ["ORANGE", "", "amber", "TLP:RED", "WHITE"] {
                let read = round_trip!(c, unknown, Tlp);
                assert!(read.is_err(), "{backend:?}: {unknown:?} read as {read:?}");
            }
            let read = round_trip!(c, "reopened", Status);
            assert!(read.is_err(), "{backend:?}: read as {read:?}");

            for status in alert::Status::ALL {
                let text: String = round_trip!(c, status, String)?;
                assert_eq!(text, status.as_str(), "{backend:?}");
                let back: alert::Status = round_trip!(c, status.as_str(), alert::Status)?;
                assert_eq!(back, status, "{backend:?}");
            }
            for action in ActionStatus::ALL {
                let text: String = round_trip!(c, action, String)?;
                assert_eq!(text, action.as_str(), "{backend:?}");
                let back: ActionStatus = round_trip!(c, action.as_str(), ActionStatus)?;
                assert_eq!(back, action, "{backend:?}");
            }
            let read = round_trip!(c, "Sent", alert::Status);
            assert!(read.is_err(), "{backend:?}: read as {read:?}");
            let read = round_trip!(c, "done", ActionStatus);
            assert!(read.is_err(), "{backend:?}: read as {read:?}");

            let id = MessageId::new();
            let back: MessageId = round_trip!(c, id.as_str(), MessageId)?;
            assert_eq!(back, id, "{backend:?}");
            for channel in [Channel::Network, Channel::Cluster(ClusterId::new())] {
                let text: String = round_trip!(c, &channel, String)?;
                assert_eq!(text, channel.key(), "{backend:?}");
                let back: Channel = round_trip!(c, channel.key(), Channel)?;
                assert_eq!(back, channel, "{backend:?}");
            }
            let read = round_trip!(c, "cluster-1", Channel);
            assert!(read.is_err(), "{backend:?}: read as {read:?}");
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
}
