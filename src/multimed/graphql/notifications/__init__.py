"""notifications, markNotificationsRead, setNotificationEmail, configureSmtp, Subscription.notifications."""
