package signer_test

import (
	"testing"
	"time"

	"github.com/ossign/ossign/signer"
	"github.com/stretchr/testify/assert"
)

func TestRefreshAt(t *testing.T) {
	obtained := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		lifetime time.Duration // 0 = no expiry
		margin   time.Duration
		want     time.Duration // after obtained; -1 = never
	}{
		{"one hour token, default margin", time.Hour, 0, 55 * time.Minute},
		{"15 min token refreshes at 80%", 15 * time.Minute, 0, 12 * time.Minute},
		{"custom margin", time.Hour, 10 * time.Minute, 50 * time.Minute},
		{"margin larger than a fifth", 20 * time.Minute, 10 * time.Minute, 16 * time.Minute},
		{"already expired when obtained", -time.Minute, 0, -time.Minute},
		{"long-term key", 0, 0, -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := signer.Credentials{AccessKeyID: "STS.a", AccessKeySecret: "s", SecurityToken: "t"}
			if tc.lifetime != 0 {
				c.Expiration = obtained.Add(tc.lifetime)
			}
			at := c.RefreshAt(obtained, tc.margin)
			if tc.want == -1 {
				assert.True(t, at.IsZero())
				assert.False(t, c.RefreshDue(obtained, obtained.Add(100*365*24*time.Hour), tc.margin))
				return
			}
			assert.Equal(t, obtained.Add(tc.want), at)
			assert.False(t, c.RefreshDue(obtained, at.Add(-time.Nanosecond), tc.margin))
			assert.True(t, c.RefreshDue(obtained, at, tc.margin))
		})
	}
}
