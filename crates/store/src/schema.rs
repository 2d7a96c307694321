//! The diesel schema, one for both backends. Kept by hand in step with `migrations/{sqlite,postgres}`;
//! `tests/schema_parity.rs` proves the two migration sets give the same logical schema.

diesel::table! {
    organisations (id) {
        id -> Text,
        name_vi -> Text,
        name_en -> Nullable<Text>,
        short_name -> Nullable<Text>,
        kind -> Text,
        name_folded -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        member_code -> Nullable<Text>,
    }
}

diesel::table! {
    clusters (id) {
        id -> Text,
        number -> Integer,
        name_vi -> Text,
        name_en -> Nullable<Text>,
        created_at -> Timestamp,
        founding_decision -> Nullable<Text>,
        founding_date -> Nullable<Date>,
        founding_issuer -> Nullable<Text>,
    }
}

diesel::table! {
    cluster_memberships (id) {
        id -> Text,
        cluster_id -> Text,
        org_id -> Text,
        valid_from -> Date,
        valid_to -> Nullable<Date>,
        reason -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        org_id -> Text,
        email -> Text,
        display_name -> Text,
        locale -> Text,
        password_hash -> Text,
        active -> Bool,
        mfa_secret -> Nullable<Text>,
        mfa_pending_secret -> Nullable<Text>,
        mfa_enabled_at -> Nullable<Timestamp>,
        mfa_last_step -> Nullable<BigInt>,
        password_changed_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> Text,
        user_id -> Text,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    role_grants (id) {
        id -> Text,
        user_id -> Text,
        role -> Text,
        scope_kind -> Text,
        scope_id -> Text,
        granted_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        token_hash -> Text,
        user_id -> Text,
        stage -> Text,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        client_addr -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        checked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        token_hash -> Text,
        prefix -> Text,
        scope -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        failures -> Integer,
        window_started_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    record_shares (id) {
        id -> Text,
        record_kind -> Text,
        record_id -> Text,
        org_id -> Nullable<Text>,
        user_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        actor -> Text,
        actor_org_id -> Nullable<Text>,
        action -> Text,
        object_type -> Text,
        object_id -> Nullable<Text>,
        object_org_id -> Nullable<Text>,
        summary -> Text,
        request_id -> Nullable<Text>,
        client_addr -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
        record_kind -> Nullable<Text>,
        record_id -> Nullable<Text>,
        anonymous -> Bool,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        last_id -> Text,
        hash -> Text,
        keyed -> Bool,
    }
}

diesel::table! {
    org_names (id) {
        id -> Text,
        org_id -> Text,
        valid_from -> Date,
        valid_to -> Nullable<Date>,
        name_vi -> Text,
        name_en -> Nullable<Text>,
        short_name -> Nullable<Text>,
        name_folded -> Text,
        reason -> Text,
        province_code -> Nullable<Text>,
        parent_id -> Nullable<Text>,
    }
}

diesel::table! {
    provinces (code) {
        code -> Text,
        name_vi -> Text,
        name_en -> Nullable<Text>,
        kind -> Text,
    }
}

diesel::table! {
    province_versions (id) {
        id -> Text,
        province_code -> Text,
        valid_from -> Date,
        valid_to -> Nullable<Date>,
        name_vi -> Text,
        name_en -> Nullable<Text>,
        name_folded -> Text,
        kind -> Text,
    }
}

diesel::table! {
    province_successions (id) {
        id -> Text,
        predecessor_code -> Text,
        successor_code -> Text,
        effective -> Date,
        decision -> Nullable<Text>,
    }
}

diesel::table! {
    org_successions (id) {
        id -> Text,
        kind -> Text,
        effective -> Date,
        predecessor_id -> Text,
        successor_id -> Nullable<Text>,
        decision -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    cluster_leads (id) {
        id -> Text,
        cluster_id -> Text,
        year -> Integer,
        org_id -> Text,
        handed_over_on -> Nullable<Date>,
        handed_over_from -> Nullable<Text>,
        handover_event -> Nullable<Text>,
        handed_over_by -> Nullable<Text>,
    }
}

diesel::table! {
    people (id) {
        id -> Text,
        org_id -> Text,
        family_name -> Text,
        middle_name -> Nullable<Text>,
        given_name -> Text,
        title -> Nullable<Text>,
        phones -> Text,
        emails -> Text,
        user_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    focal_points (id) {
        id -> Text,
        org_id -> Text,
        kind -> Text,
        person_id -> Text,
        since -> Timestamp,
        confirmed_at -> Timestamp,
    }
}

diesel::table! {
    information_systems (id) {
        id -> Text,
        owner_org_id -> Text,
        operator_org_id -> Nullable<Text>,
        name -> Text,
        purpose -> Nullable<Text>,
        information_classes -> Text,
        proposed_level -> Nullable<Integer>,
        approved_level -> Nullable<Integer>,
        approver -> Nullable<Text>,
        approval_decision -> Nullable<Text>,
        approval_date -> Nullable<Date>,
        public_urls -> Text,
        domains -> Text,
        ip_ranges -> Text,
        internet_facing -> Bool,
        critical -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        os -> Nullable<Text>,
        os_version -> Nullable<Text>,
    }
}

diesel::table! {
    jobs (id) {
        id -> Text,
        kind -> Text,
        payload -> Text,
        dedup_key -> Nullable<Text>,
        status -> Text,
        run_at -> Timestamp,
        attempts -> Integer,
        max_attempts -> Integer,
        locked_until -> Nullable<Timestamp>,
        locked_by -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    response_teams (org_id) {
        org_id -> Text,
        decision_number -> Nullable<Text>,
        decision_date -> Nullable<Date>,
        decision_issuer -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    response_team_members (id) {
        id -> Text,
        org_id -> Text,
        person_id -> Text,
        role -> Text,
        position -> Integer,
    }
}

diesel::table! {
    org_capabilities (id) {
        id -> Text,
        org_id -> Text,
        skill -> Text,
        level -> Text,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    staff_counts (id) {
        id -> Text,
        org_id -> Text,
        category -> Text,
        name -> Text,
        head_count -> Integer,
    }
}

diesel::table! {
    experts (id) {
        id -> Text,
        org_id -> Text,
        person_id -> Text,
        expertise -> Text,
        certificates -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    member_profiles (org_id) {
        org_id -> Text,
        updated_at -> Timestamp,
        confirmed_on -> Nullable<Date>,
    }
}

diesel::table! {
    /// The directory's search index (migration `2026-11-26-000101_search_index`).
    search_terms (entity_id, token, org_id) {
        token -> Text,
        kind -> Text,
        entity_id -> Text,
        org_id -> Text,
    }
}

diesel::table! {
    incidents (id) {
        id -> Text,
        number -> Nullable<Text>,
        owner_org_id -> Text,
        created_by -> Text,
        status -> Text,
        tlp -> Text,
        title -> Text,
        summary -> Nullable<Text>,
        type_key -> Nullable<Text>,
        severity -> Nullable<Text>,
        detected_at -> Timestamp,
        system_id -> Nullable<Text>,
        system_level -> Nullable<Integer>,
        effects -> Text,
        exceeds_capacity -> Bool,
        serious_proposed -> Bool,
        serious_confirmed -> Nullable<Bool>,
        data_loss -> Text,
        data_loss_detail -> Nullable<Text>,
        damage_estimate -> Nullable<Text>,
        helped_by_foreign -> Bool,
        report -> Text,
        submitted_at -> Nullable<Timestamp>,
        escalated_at -> Nullable<Timestamp>,
        acknowledged_at -> Nullable<Timestamp>,
        initial_report_at -> Nullable<Timestamp>,
        response_ended_at -> Nullable<Timestamp>,
        closing_report_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        next_due_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    incident_reminders (incident_id) {
        incident_id -> Text,
        remind_at -> Timestamp,
    }
}

diesel::table! {
    incident_counters (year) {
        year -> Integer,
        last -> Integer,
    }
}

diesel::table! {
    incident_member_counters (org_id, year) {
        org_id -> Text,
        year -> Integer,
        last -> Integer,
    }
}

diesel::table! {
    incident_events (id) {
        id -> Text,
        incident_id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        actor_org_id -> Nullable<Text>,
        kind -> Text,
        body -> Nullable<Text>,
        data -> Text,
    }
}

diesel::table! {
    incident_tasks (id) {
        id -> Text,
        incident_id -> Text,
        step -> Nullable<Integer>,
        title -> Text,
        assignee_id -> Nullable<Text>,
        due_on -> Nullable<Date>,
        done_at -> Nullable<Timestamp>,
        org_id -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    incident_observables (id) {
        id -> Text,
        incident_id -> Text,
        kind -> Text,
        value -> Text,
        is_indicator -> Bool,
        note -> Nullable<Text>,
        org_id -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    incident_reports (id) {
        id -> Text,
        incident_id -> Text,
        kind -> Text,
        version -> Integer,
        number -> Nullable<Text>,
        body -> Text,
        org_id -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    filed_reports (id) {
        id -> Text,
        kind -> Text,
        subject_type -> Text,
        subject_id -> Text,
        period -> Text,
        report_id -> Nullable<Text>,
        org_id -> Text,
        number -> Text,
        version -> Integer,
        document_number -> Nullable<Text>,
        place -> Nullable<Text>,
        recipients -> Text,
        signer_title -> Nullable<Text>,
        signer_name -> Nullable<Text>,
        filed_at -> Timestamp,
        filed_by -> Text,
        data -> Text,
        docx -> Binary,
        sha256 -> Text,
        xlsx -> Nullable<Binary>,
        xlsx_sha256 -> Nullable<Text>,
    }
}

diesel::table! {
    attachments (id) {
        id -> Text,
        record_kind -> Text,
        record_id -> Text,
        filename -> Text,
        content_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        content -> Binary,
        org_id -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    support_requests (id) {
        id -> Text,
        incident_id -> Text,
        requester_org_id -> Text,
        skills -> Text,
        effort -> Nullable<Text>,
        deadline -> Nullable<Date>,
        message -> Text,
        to_coordinator -> Bool,
        created_by -> Text,
        created_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    support_recipients (request_id, org_id) {
        request_id -> Text,
        org_id -> Text,
        response -> Text,
        note -> Nullable<Text>,
        responded_by -> Nullable<Text>,
        responded_at -> Nullable<Timestamp>,
        accepted_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    incident_instructions (id) {
        id -> Text,
        incident_id -> Text,
        body -> Text,
        due_at -> Nullable<Timestamp>,
        org_id -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    instruction_targets (instruction_id, org_id) {
        instruction_id -> Text,
        org_id -> Text,
        acknowledged_at -> Nullable<Timestamp>,
        acknowledged_by -> Nullable<Text>,
        report -> Nullable<Text>,
        reported_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// In-app notifications, one per recipient (migration `2026-11-27-000101_notifications`).
    notifications (id) {
        id -> Text,
        user_id -> Text,
        event_id -> Text,
        kind -> Text,
        object_type -> Text,
        object_id -> Text,
        org_id -> Nullable<Text>,
        link -> Text,
        title -> Text,
        body -> Text,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Text,
        org_id -> Text,
        url -> Text,
        secret -> Text,
        kinds -> Text,
        active -> Bool,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        webhook_id -> Text,
        event_id -> Text,
        kind -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        last_attempt_at -> Nullable<Timestamp>,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Alerts to members (migration `2026-12-02-000001_alerts`).
    alerts (id) {
        id -> Text,
        sender_org_id -> Text,
        created_by -> Text,
        status -> Text,
        tlp -> Text,
        title -> Text,
        description -> Text,
        severity -> Text,
        products -> Text,
        cves -> Text,
        actions -> Text,
        action_deadline -> Nullable<Timestamp>,
        audience -> Text,
        sent_at -> Nullable<Timestamp>,
        sent_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    alert_recipients (id) {
        id -> Text,
        alert_id -> Text,
        org_id -> Text,
        org_name_vi -> Text,
        org_name_en -> Nullable<Text>,
        acknowledged_at -> Nullable<Timestamp>,
        acknowledged_by_user -> Nullable<Text>,
        acknowledged_by_person -> Nullable<Text>,
        acknowledged_by_name -> Nullable<Text>,
        action_status -> Nullable<Text>,
        action_note -> Nullable<Text>,
        reported_at -> Nullable<Timestamp>,
        reported_by_user -> Nullable<Text>,
        chase_step -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    alert_ack_tokens (id) {
        id -> Text,
        recipient_id -> Text,
        person_id -> Text,
        person_name -> Text,
        email -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    server_keys (name) {
        name -> Text,
        secret -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(users -> organisations (org_id));
diesel::joinable!(role_grants -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(cluster_memberships -> clusters (cluster_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    clusters,
    cluster_memberships,
    users,
    recovery_codes,
    role_grants,
    sessions,
    api_tokens,
    login_throttle,
    record_shares,
    audit_log,
    audit_head,
    org_names,
    org_successions,
    cluster_leads,
    people,
    focal_points,
    information_systems,
    search_terms,
    jobs,
    response_teams,
    response_team_members,
    org_capabilities,
    staff_counts,
    experts,
    member_profiles,
    provinces,
    province_versions,
    province_successions,
    incidents,
    incident_reminders,
    incident_counters,
    incident_member_counters,
    incident_events,
    incident_tasks,
    incident_observables,
    incident_reports,
    filed_reports,
    attachments,
    support_requests,
    support_recipients,
    incident_instructions,
    instruction_targets,
    notifications,
    webhooks,
    webhook_deliveries,
    alerts,
    alert_recipients,
    alert_ack_tokens,
    server_keys,
    channel_messages,
    channel_reads,
    org_details,
);

// Sharing (issue 5): indicators, their observables and sightings.
diesel::table! {
    indicators (id) {
        id -> Text,
        stix_id -> Text,
        owner_org_id -> Text,
        created_by -> Nullable<Text>,
        tlp -> Text,
        value_key -> Text,
        value -> Text,
        pattern -> Text,
        name -> Text,
        description -> Nullable<Text>,
        confidence -> Nullable<Integer>,
        valid_from -> Timestamp,
        valid_until -> Nullable<Timestamp>,
        revoked -> Bool,
        incident_id -> Nullable<Text>,
        alert_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
        added_at -> Timestamp,
        to_ids -> Bool,
    }
}

diesel::table! {
    indicator_observables (indicator_id, kind, value) {
        indicator_id -> Text,
        kind -> Text,
        value -> Text,
    }
}

diesel::table! {
    indicator_sightings (id) {
        id -> Text,
        indicator_id -> Text,
        org_id -> Text,
        reported_by -> Text,
        kind -> Text,
        anonymous -> Bool,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    taxii_statuses (id) {
        id -> Text,
        user_id -> Text,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(indicator_observables -> indicators (indicator_id));
diesel::allow_tables_to_appear_in_same_query!(
    indicators,
    indicator_observables,
    indicator_sightings,
    record_shares,
);

// Channels (issue 5): discussion messages and read markers.
diesel::table! {
    channel_messages (id) {
        id -> Text,
        channel -> Text,
        owner_org_id -> Text,
        created_by -> Text,
        tlp -> Text,
        body -> Text,
        indicator_ids -> Text,
        mentions -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    channel_reads (user_id, channel) {
        user_id -> Text,
        channel -> Text,
        message_id -> Text,
        read_at -> Timestamp,
    }
}

// Notices (issue 16): who a submitted notice reached, and who acknowledged it.
diesel::table! {
    incident_notice_receivers (id) {
        id -> Text,
        incident_id -> Text,
        org_id -> Text,
        part -> Text,
        cluster_id -> Nullable<Text>,
        reached_at -> Timestamp,
        acknowledged_at -> Nullable<Timestamp>,
        acknowledged_by -> Nullable<Text>,
        not_reached -> Nullable<Text>,
    }
}

// Rule sets (issue 16): the network's rules by effective date, and a version counter that
// tells every instance when to reload them.
diesel::table! {
    rule_sets (id) {
        id -> Text,
        effective_from -> Date,
        body -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    rule_sets_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

// Mẫu 01's organisation details (migration `2026-12-08-000060_org_details`).
diesel::table! {
    org_details (org_id) {
        org_id -> Text,
        address -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        head_name -> Nullable<Text>,
        head_title -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}
// Training (issue 20): programmes, invitations, sessions, hours per person and source,
// certificates.
diesel::table! {
    training_programmes (id) {
        id -> Text,
        organiser_org_id -> Text,
        organiser_kind -> Text,
        cluster_id -> Nullable<Text>,
        title -> Text,
        topic -> Text,
        audience -> Text,
        year -> Integer,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    training_invitations (id) {
        id -> Text,
        programme_id -> Text,
        org_id -> Text,
    }
}

diesel::table! {
    training_sessions (id) {
        id -> Text,
        programme_id -> Text,
        held_on -> Date,
        place -> Text,
        minutes -> Integer,
        topic -> Text,
        trainer -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    training_hours (id) {
        id -> Text,
        person_id -> Text,
        org_id -> Text,
        held_on -> Date,
        year -> Integer,
        minutes -> Integer,
        source -> Text,
        source_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    training_certificates (id) {
        id -> Text,
        person_id -> Text,
        org_id -> Text,
        name -> Text,
        issuer -> Text,
        number -> Text,
        issued_on -> Date,
        valid_until -> Nullable<Date>,
        reminded_for -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(training_invitations -> training_programmes (programme_id));
diesel::joinable!(training_sessions -> training_programmes (programme_id));
diesel::joinable!(training_hours -> people (person_id));
diesel::joinable!(training_certificates -> people (person_id));
diesel::allow_tables_to_appear_in_same_query!(
    training_programmes,
    training_invitations,
    training_sessions,
    training_hours,
    training_certificates,
    people,
);
diesel::allow_tables_to_appear_in_same_query!(training_hours, cluster_memberships);
diesel::allow_tables_to_appear_in_same_query!(training_certificates, cluster_memberships);

// Drills (issue 20): the drill, roles inside it, external results, injects, answers, the scoring
// ledger and the standings it sums to (live, and as frozen).
diesel::table! {
    drills (id) {
        id -> Text,
        kind -> Text,
        title -> Text,
        organiser_cluster_id -> Nullable<Text>,
        organiser_name -> Nullable<Text>,
        theme -> Text,
        rules -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        utc_offset_minutes -> Integer,
        state -> Text,
        attempts_allowed -> Integer,
        frozen_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    drill_members (id) {
        id -> Text,
        drill_id -> Text,
        role -> Text,
        org_id -> Nullable<Text>,
        user_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    drill_results (drill_id, org_id) {
        drill_id -> Text,
        org_id -> Text,
        rank -> Integer,
        out_of -> Integer,
        demo -> Bool,
    }
}

diesel::table! {
    drill_injects (id) {
        id -> Text,
        drill_id -> Text,
        title -> Text,
        task -> Text,
        released_at -> Timestamp,
        deadline -> Timestamp,
        points -> BigInt,
        answers -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    drill_answers (id) {
        id -> Text,
        drill_id -> Text,
        inject_id -> Text,
        team_org_id -> Text,
        user_id -> Text,
        answer -> Text,
        correct -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    drill_ledger (id) {
        id -> Text,
        drill_id -> Text,
        team_org_id -> Text,
        event -> Text,
        inject_id -> Nullable<Text>,
        points -> BigInt,
        note -> Text,
        by_user -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    drill_standings (drill_id, team_org_id) {
        drill_id -> Text,
        team_org_id -> Text,
        score -> BigInt,
        last_score_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    drill_standings_frozen (drill_id, team_org_id) {
        drill_id -> Text,
        team_org_id -> Text,
        score -> BigInt,
        last_score_at -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    drills,
    drill_members,
    drill_results,
    drill_injects,
    drill_answers,
    drill_ledger,
    drill_standings,
    drill_standings_frozen,
);

// The STIX object store (issue 17): every version of every imported object, as made.
diesel::table! {
    stix_objects (id) {
        id -> Text,
        stix_id -> Text,
        object_type -> Text,
        version_key -> Text,
        owner_org_id -> Text,
        created_by_ref -> Nullable<Text>,
        tlp -> Text,
        body -> Text,
        latest -> Bool,
        earliest -> Bool,
        added_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(stix_objects, indicators);
diesel::allow_tables_to_appear_in_same_query!(stix_objects, record_shares);
