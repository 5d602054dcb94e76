package signer

import "time"

// DefaultRefreshMargin is how long before expiry STS credentials are refreshed by default.
const DefaultRefreshMargin = 5 * time.Minute

// RefreshAt returns when credentials obtained at obtainedAt should be refreshed: margin before
// they expire (DefaultRefreshMargin when margin ≤ 0), but no earlier than when 80% of their
// lifetime has passed, so a 15-minute token is refreshed 3 minutes before expiry rather than
// after 10. Credentials without an expiry never need a refresh: the zero time is returned.
func (c *Credentials) RefreshAt(obtainedAt time.Time, margin time.Duration) time.Time {
	if c.Expiration.IsZero() {
		return time.Time{}
	}
	if margin <= 0 {
		margin = DefaultRefreshMargin
	}
	if fifth := c.Expiration.Sub(obtainedAt) / 5; fifth < margin {
		margin = max(fifth, 0)
	}
	return c.Expiration.Add(-margin)
}

// RefreshDue reports whether credentials obtained at obtainedAt should be refreshed at now.
func (c *Credentials) RefreshDue(obtainedAt, now time.Time, margin time.Duration) bool {
	at := c.RefreshAt(obtainedAt, margin)
	return !at.IsZero() && !now.Before(at)
}
