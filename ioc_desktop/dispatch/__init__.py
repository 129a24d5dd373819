"""Dispatch of users' actions to the backend: the durable outbox and the audit log
(a service's own workflow lives in its plugin, behind :class:`ioc_desktop.plugin_api.TopicActions`)."""
