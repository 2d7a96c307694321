# Messages irnet sends outside the web pages (email). Vietnamese is the default.
mail-footer = This message was sent automatically by irnet; please do not reply to it.
focal-subject = [irnet] Please update the 24/7 focal points of { $org }
focal-greeting = Dear { $org },
focal-intro = Every member of the network must name a main and a backup 24/7 focal point and update them within 24 hours of a change. Focal points must be confirmed at least every { $days } days. irnet records:
focal-main = Main focal point
focal-backup = Backup focal point
focal-missing = not named
focal-stale = { $name }, last confirmed on { $date } ({ $age } days ago)
focal-action = Please update or confirm them at: { $link }
incident-overdue-subject = [irnet] Overdue { $what }: incident { $number } — { $title }
incident-overdue-intro = Incident { $number } "{ $title }" is past its deadline for { $what } (due { $due }, Vietnam time).
incident-overdue-action = Please act at: { $link }
incident-overdue-restricted-subject = [irnet] Overdue { $what }: incident { $number }
incident-overdue-restricted-intro = Incident { $number } is past its deadline for { $what } (due { $due }, Vietnam time). Its content can only be read after signing in.
deadline-notice = the incident notice
deadline-initial-report = the initial report
deadline-acknowledgement = acknowledgement
deadline-closing-report = the closing report
# Notices (app::notify): `{message}-subject` is the title and mail subject, `{message}-body` the text.
notice-link = Details: { $link }
notice-restricted-subject = [irnet] You have a new notification
notice-restricted-body = There is a new notification for you on irnet. Its content can only be read after signing in.
# A notice about a record its recipient may not read when it is delivered (app::notify::cut).
notice-sealed-incident-subject = [irnet] An update on an incident you cannot open
notice-sealed-incident-body = Something happened in an incident you cannot open. If you need to take part, ask the organisation that owns it to add you.
notice-sealed-alert-subject = [irnet] An update on an alert you cannot open
notice-sealed-alert-body = Something happened in an alert you cannot open.
notice-sealed-message-subject = [irnet] An update on a message you cannot open
notice-sealed-message-body = Something happened in a message you cannot read.
notice-sealed-record-subject = [irnet] An update on a record you cannot open
notice-sealed-record-body = Something happened in a record you cannot open.
webhook-created-subject = [irnet] Webhook added for your organisation: { $url }
webhook-created-body = { $by } registered the webhook { $url } for your organisation. From now on your organisation's notices are sent to this address. If your organisation did not intend this, remove the webhook at once.
incident-escalated-subject = [TBSC] Incident { $number } of { $owner }: { $title }
incident-escalated-body = { $owner } reported incident { $number } "{ $title }" to the coordinator. Please acknowledge it at once.
support-requested-subject = [TBSC] { $owner } asks for support in responding to an incident
support-requested-body = { $owner } asks your organisation for support: { $message }
support-accepted-subject = [irnet] Your offer of support was accepted: incident { $number }
support-accepted-body = { $owner } accepted your organisation's support for incident { $number } "{ $title }". Your organisation may now work in the incident.
incident-mentioned-subject = [irnet] You were mentioned in incident { $number }
incident-mentioned-body = You were mentioned in the discussion of incident { $number } "{ $title }".
support-offered-subject = [irnet] { $by } offers support for incident { $number }
support-offered-body = { $by } offered support for incident { $number } "{ $title }". Accept it to let { $by } work in the incident.
support-declined-subject = [irnet] { $by } declined to support incident { $number }
support-declined-body = { $by } declined the support request of incident { $number } "{ $title }".
incident-instructed-subject = [TBSC] Coordinator's instruction on an incident of { $owner }
incident-instructed-body = The coordinator instructs your organisation about an incident of { $owner }: { $text }
# Alerts (app::alerts)
alert-mail-subject = [irnet] Alert: { $title }
alert-mail-intro = { $sender } sent an alert to { $org }.
alert-mail-title = Title
alert-mail-severity = Severity
alert-mail-products = Affected products
alert-mail-cves = CVEs
alert-mail-deadline = Action deadline
alert-mail-no-deadline = none set
alert-mail-actions = Required actions:
alert-mail-details = Details
alert-mail-red = This alert is marked TLP:RED, so its content is not sent by mail. Please sign in to irnet to read it:
alert-mail-ack = Acknowledge receipt (one click, no sign-in; the link works once and expires at { $expires }): { $link }
alert-reminder-subject = [irnet] Reminder: { $org } has not acknowledged the alert "{ $title }"
alert-reminder-intro = { $org } has not acknowledged receipt of the alert below. The main focal point is asked to acknowledge it now.
alert-escalation-subject = [irnet] Escalated to the backup focal point: { $org } has not acknowledged the alert "{ $title }"
alert-escalation-intro = The main focal point of { $org } has not acknowledged receipt of the alert below. This mail goes to the backup focal point: please acknowledge and act on it now.
alert-lead-subject = [irnet] Member { $org } has not acknowledged the alert "{ $title }"
alert-lead-intro = After { $hours } hours, { $org } (a member of the cluster your organisation leads) has still not acknowledged the alert "{ $title }".
alert-lead-action = Please contact the member's focal points: { $link }
alert-sent-subject = [irnet] New alert from { $sender }: { $title }
alert-sent-body = { $sender } sent the alert "{ $title }" to your organisation. Action deadline: { $deadline }. Please acknowledge it and report what you did.
alert-sent-red-subject = [irnet] New TLP:RED alert from { $sender }
alert-sent-red-body = { $sender } sent a TLP:RED alert to your organisation. Action deadline: { $deadline }. Please acknowledge it and report what you did.{ $title }
channel-mentioned-subject = [irnet] { $author } mentioned you in { $channel ->
    [network] the network channel
   *[other] the channel of { $channel }
}
channel-mentioned-body = { $author } mentioned you in a TLP:{ $tlp } message: { $excerpt }
channel-mentioned-restricted-subject = [irnet] { $author } mentioned you in a TLP:RED message
channel-mentioned-restricted-body = { $author } mentioned you in a TLP:RED message. Sign in to read it.
# Incident notices to their receivers (app::incidents::notice)
incident-notice-subject = [TBSC] Notice of incident { $number } of { $owner }: { $title }
incident-notice-body = { $owner } gives your organisation notice of incident { $number } "{ $title }". Please acknowledge it at once.
incident-notice-red-subject = [TBSC] A new incident notice for your organisation
incident-notice-red-body = There is an incident notice (TLP:RED) for your organisation on irnet. Its content can only be read after signing in; please acknowledge it at once.

# Periodic reports (rules::reminders)
periodic-half-year = half-year
periodic-year = annual
periodic-subject = [irnet] Reminder: the { $period } incident report (Mẫu 05) is due by { $due }
periodic-body = Under the rules, { $org } sends its { $period } incident statistics (Mẫu 05) by { $due }. The report is prepared at { $link }.

# Training (issue 20)
training-certificate-expiring-subject = [irnet] { $person }'s certificate { $certificate } expires soon ({ $until })
training-certificate-expiring-body = The certificate { $certificate } issued by { $issuer } to { $person } ({ $org }) is valid until { $until }. Please arrange its renewal or retraining.
