//! The formats as the field produces them: the OASIS STIX examples and TLP 2.0 definitions, and
//! PyMISP's MISP events, read from `../shared/testdata` beside the repository (never copied into
//! it). Without that folder these tests say that they were skipped and why, and fail under
//! `CI=true`, where the folder is always present.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use irnet_domain::Tlp;
use irnet_interop::stix::bundle::{self, Bundle, ParseOptions};
use irnet_interop::stix::export::tlp2_marking_definition;
use irnet_interop::stix::import::import_bundle;
use irnet_interop::stix::markings::{Markings, tlp2_marking_id};
use irnet_interop::stix::problem::keys;
use std::path::{Path, PathBuf};

/// The test data folder, or `None` after saying why the test is skipped.
fn testdata(test: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("IRNET_TESTDATA") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    let why = format!(
        "{test}: the real-world test data folder {} is missing (set IRNET_TESTDATA to where \
         `shared/testdata` is)",
        dir.display()
    );
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{why}; it is required under CI=true");
    }
    // Straight to the process's stderr: the test harness captures `eprintln!` of passing
    // tests, and a skip nobody sees is a test that cannot fail.
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "*** SKIPPED {why} ***");
    None
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

const REFUSED: &str = "using-tlp2.0-green.json";

#[test]
fn every_oasis_bundle_is_accepted() {
    let Some(dir) = testdata("every_oasis_bundle_is_accepted") else {
        return;
    };
    let stix = dir.join("stix");
    let mut files = json_files(&stix);
    files.extend(json_files(&stix.join("tlp-2.0")));
    let mut accepted = 0;
    for path in files.iter().filter(|p| !p.ends_with(REFUSED)) {
        let text = std::fs::read_to_string(path).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        if value.get("type").and_then(|t| t.as_str()) != Some("bundle") {
            eprintln!(
                "{}: a single {} object, not a bundle",
                path.display(),
                value["type"]
            );
            continue;
        }
        match import_bundle(&text) {
            Ok(i) => {
                accepted += 1;
                eprintln!(
                    "{}: {} indicators, {} identities, {} reports",
                    path.display(),
                    i.indicators.len(),
                    i.identities.len(),
                    i.reports.len()
                );
            }
            Err(p) => panic!("{} refused: {p:?}", path.display()),
        }
    }
    assert!(accepted >= 8, "only {accepted} bundles found");
}

#[test]
fn the_invalid_oasis_example_is_refused_naming_object_and_property() {
    let Some(dir) = testdata("the_invalid_oasis_example_is_refused") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("stix/tlp-2.0").join(REFUSED)).unwrap();
    let problems = import_bundle(&text).unwrap_err();
    let named: Vec<_> = problems
        .iter()
        .map(|p| (p.object_id.as_str(), p.property.as_str(), p.message_key))
        .collect();
    // As published it also lacks the bundle's own `type`; both are reported at once.
    assert_eq!(
        named,
        [
            (
                "bundle--161f8ade-b67d-11e3-b8af-f01faf20d111",
                "type",
                keys::REQUIRED
            ),
            (
                "relationship--1621d4d4-b67d-11e3-9670-f01faf20d111",
                "created",
                keys::INVALID_TIMESTAMP
            ),
        ]
    );
}

#[test]
fn the_five_tlp2_marking_definitions_map_and_match_ours() {
    let Some(dir) = testdata("the_five_tlp2_marking_definitions") else {
        return;
    };
    let text =
        std::fs::read_to_string(dir.join("stix/tlp-2.0/tlp-2.0-marking-definitions.json")).unwrap();
    let bundle = Bundle::parse(&text, ParseOptions { enforce_refs: true }).unwrap();
    assert_eq!(bundle.objects.len(), 5);
    let markings = Markings::from_bundle(&bundle).unwrap();
    for t in Tlp::ALL {
        let published = bundle.get(tlp2_marking_id(t)).unwrap();
        // What we export is what OASIS publishes.
        assert_eq!(published, &tlp2_marking_definition(t), "{t}");
        let marked = serde_json::json!({"object_marking_refs": [tlp2_marking_id(t)]});
        assert_eq!(markings.tlp_of(&marked, 0).unwrap(), Some(t));
    }
}

#[test]
fn an_object_with_an_unknown_marking_is_refused() {
    let Some(dir) = testdata("an_object_with_an_unknown_marking") else {
        return;
    };
    // A single campaign marked TLP:RED (TLP 1.0) and with a marking id nobody defines.
    let text = std::fs::read_to_string(dir.join("stix/interop-objectmarking-test.json")).unwrap();
    let object: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(bundle::validate_object(&object, 0).is_empty());
    let problems = Markings::default().tlp_of(&object, 0).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        problems[0].object_id,
        "campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061"
    );
    assert_eq!(problems[0].property, "object_marking_refs[1]");
    assert_eq!(problems[0].message_key, keys::UNKNOWN_MARKING);
}

#[test]
fn medallion_resources_read_into_our_taxii_types() {
    use irnet_interop::taxii::resources::{ApiRoot, Collection, Discovery, Status};
    let Some(dir) = testdata("medallion_resources_read_into_our_taxii_types") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("taxii/medallion-default_data.json")).unwrap();
    let data: serde_json::Value = serde_json::from_str(&text).unwrap();
    let discovery: Discovery = serde_json::from_value(data["/discovery"].clone()).unwrap();
    assert_eq!(discovery.api_roots.len(), 3);
    let mut collections = 0;
    let mut statuses = 0;
    for root in ["api1", "api2", "trustgroup1"] {
        let r = &data[root];
        let _: ApiRoot = serde_json::from_value(r["information"].clone()).unwrap();
        for c in r["collections"].as_array().unwrap() {
            let mut c = c.clone();
            // medallion keeps each collection's objects and manifest beside its description
            c.as_object_mut()
                .unwrap()
                .retain(|k, _| k != "objects" && k != "manifest");
            let parsed: Collection = serde_json::from_value(c.clone()).unwrap();
            assert_eq!(serde_json::to_value(&parsed).unwrap(), c);
            collections += 1;
        }
        for s in r["status"].as_array().unwrap() {
            if s.get("total_count").is_none() {
                // One of medallion's records says `total_objects` (a pre-2.1 name): not a TAXII
                // 2.1 status, and refused as one.
                assert!(serde_json::from_value::<Status>(s.clone()).is_err());
                eprintln!("status {} has no total_count: not TAXII 2.1", s["id"]);
                continue;
            }
            let parsed: Status = serde_json::from_value(s.clone()).unwrap();
            assert_eq!(
                parsed.total_count,
                parsed.success_count + parsed.failure_count + parsed.pending_count
            );
            assert_eq!(serde_json::to_value(&parsed).unwrap(), *s);
            statuses += 1;
        }
    }
    assert!(
        collections >= 5 && statuses >= 1,
        "{collections} collections, {statuses} statuses"
    );
}

/// The files of `misp/` that are not events, and why (PyMISP refuses them too: no `info`, or not
/// an event at all). Any other file must load and import.
const NOT_EVENTS: [(&str, &str); 8] = [
    ("describeTypes.json", "MISP's attribute type table"),
    (
        "event_obj_attr_tag.json",
        "objects without an event (no info)",
    ),
    (
        "event_obj_def_param.json",
        "objects without an event (no info)",
    ),
    ("event_obj_tag.json", "objects without an event (no info)"),
    ("galaxy.json", "a galaxy"),
    ("sharing_groups.json", "a list of sharing groups"),
    ("sighting.json", "a sighting"),
    ("simple.json", "an empty object"),
];

#[test]
fn every_misp_event_loads_and_imports() {
    use irnet_interop::misp::{Event, import_event};
    let Some(dir) = testdata("every_misp_event_loads_and_imports") else {
        return;
    };
    let mut imported = 0;
    for path in json_files(&dir.join("misp")) {
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = Event::parse(&text);
        if let Some((_, why)) = NOT_EVENTS.iter().find(|(n, _)| *n == name) {
            let refusal = parsed.expect_err(&name);
            eprintln!("{name}: not an event ({why}): {refusal}");
            continue;
        }
        let event = parsed.unwrap_or_else(|p| panic!("{name}: {p}"));
        let import = import_event(&event).unwrap_or_else(|p| panic!("{name}: {p:?}"));
        eprintln!(
            "{name}: {} observables, {} skipped ({:?}), TLP {:?}, audience {:?}",
            import.indicators.len(),
            import.skipped.len(),
            import
                .skipped
                .iter()
                .map(|s| s.reason)
                .collect::<std::collections::BTreeSet<_>>(),
            import.tlp,
            import.audience
        );
        imported += 1;
    }
    assert_eq!(imported, 13);
}

#[test]
fn the_circl_feed_event_maps_as_expected() {
    use irnet_interop::misp::{Audience, Event, import_event};
    let Some(dir) = testdata("the_circl_feed_event_maps_as_expected") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("misp/circl-feed-event-57c4445b.json")).unwrap();
    let import = import_event(&Event::parse(&text).unwrap()).unwrap();
    assert_eq!(import.info, "Ransomware - Xorist");
    assert_eq!(import.tlp, Some(Tlp::Clear), "tlp:white");
    // The feed event has no distribution: taken as the narrowest until the importer widens it.
    assert_eq!(import.audience, Audience::SourceOrganisation);
    assert_eq!(import.indicators.len() + import.skipped.len(), 9);
    assert!(import.indicators.iter().all(|i| i.tlp == Some(Tlp::Clear)));
}

#[test]
fn the_sednit_event_maps_objects_and_skips_what_is_not_an_observable() {
    use irnet_interop::misp::{Audience, Event, import_event};
    let Some(dir) = testdata("the_sednit_event_maps_objects") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("misp/existing_event.json")).unwrap();
    let import = import_event(&Event::parse(&text).unwrap()).unwrap();
    let count = |t: &str| {
        import
            .indicators
            .iter()
            .filter(|i| i.misp_type == t)
            .count()
    };
    // 7 domains of the event, 12 + 12 ip-dst/domain and 37 sha1 inside objects
    assert_eq!(
        (count("domain"), count("ip-dst"), count("sha1")),
        (19, 12, 37)
    );
    assert!(import.skipped.iter().all(|s| s.reason == "unmapped_type"));
    assert_eq!(import.audience, Audience::Network, "distribution 3");
    assert_eq!(import.tlp, Some(Tlp::Clear));
}
