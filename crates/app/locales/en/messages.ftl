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
deadline-notice = the incident notice
deadline-initial-report = the initial report
deadline-acknowledgement = acknowledgement
deadline-closing-report = the closing report
# Notices (app::notify): `{message}-subject` is the title and mail subject, `{message}-body` the text.
notice-link = Details: { $link }
notice-restricted-subject = [irnet] You have a new notification
notice-restricted-body = There is a new notification for you on irnet. Its content can only be read after signing in.
webhook-created-subject = [irnet] Webhook added for your organisation: { $url }
webhook-created-body = { $by } registered the webhook { $url } for your organisation. From now on your organisation's notices are sent to this address. If your organisation did not intend this, remove the webhook at once.
