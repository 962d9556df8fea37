"""The notification mutations, one per file, merged for schema.py."""

from __future__ import annotations

from strawberry.tools import merge_types

from multimed.graphql.notifications.notification_email_set import SetNotificationEmailMutation
from multimed.graphql.notifications.notifications_mark_read import MarkNotificationsReadMutation
from multimed.graphql.notifications.smtp_configure import ConfigureSmtpMutation

NotificationMutations = merge_types(
    "NotificationMutations",
    (MarkNotificationsReadMutation, SetNotificationEmailMutation, ConfigureSmtpMutation),
)
