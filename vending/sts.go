package vending

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/aliyun/credentials-go/credentials/providers"

	"github.com/ossign/ossign/signer"
)

// assumeRequest is one AssumeRole call's per-session parameters.
type assumeRequest struct {
	sessionName string
	policy      string
	duration    time.Duration
}

// assumer obtains temporary credentials for a session. The Server calls it on cache misses
// only; tests replace it to count calls.
type assumer interface {
	assumeRole(ctx context.Context, req assumeRequest) (signer.Credentials, error)
}

// ramRoleAssumer calls AssumeRole through credentials-go's RAMRoleArn provider.
type ramRoleAssumer struct {
	source      providers.CredentialsProvider
	roleARN     string
	externalID  string
	stsEndpoint string
	stsRegion   string
	stsVPC      bool
	timeout     time.Duration
	now         func() time.Time
}

// newRAMRoleAssumer returns the credentials-go assumer for cfg (defaults applied).
func newRAMRoleAssumer(cfg *Config) *ramRoleAssumer {
	source := cfg.Source
	if source == nil {
		source = providers.NewDefaultCredentialsProvider()
	}
	return &ramRoleAssumer{
		source:      &serializedProvider{inner: source},
		roleARN:     cfg.RoleARN,
		externalID:  cfg.ExternalID,
		stsEndpoint: cfg.STSEndpoint,
		stsRegion:   cfg.STSRegion,
		stsVPC:      cfg.STSVPC,
		timeout:     cfg.STSTimeout,
		now:         cfg.Now,
	}
}

// assumeRole builds a RAMRoleArn provider for this one session (the provider takes one
// policy and session name for its lifetime) and asks it for credentials.
//
// The provider does not expose the Expiration STS returned (credentials-go v1.4.14 keeps it
// in an unexported field and has no hook on the HTTP answer), so it is computed as the time
// just before the call plus the duration: never later than STS's own, as STS starts counting
// after receiving the call (assuming the two clocks agree within a second, which NTP gives),
// and earlier by at most the call's duration, which a.timeout bounds. Clients are told this
// time, and cached credentials are handed out until staleMargin before it.
//
// credentials-go is given a.timeout for the whole exchange (its http.Client timeout is
// connect + read), half of it for connecting; the waiting also stops when ctx ends.
func (a *ramRoleAssumer) assumeRole(ctx context.Context, req assumeRequest) (signer.Credentials, error) {
	b := providers.NewRAMRoleARNCredentialsProviderBuilder().
		WithCredentialsProvider(a.source).
		WithRoleArn(a.roleARN).
		WithRoleSessionName(req.sessionName).
		WithDurationSeconds(int(req.duration / time.Second)).
		WithPolicy(req.policy).
		WithHttpOptions(stsHTTPOptions(a.timeout))
	switch {
	case a.stsEndpoint != "":
		b = b.WithStsEndpoint(a.stsEndpoint)
	case a.stsRegion != "":
		b = b.WithStsRegionId(a.stsRegion).WithEnableVpc(a.stsVPC)
	}
	if a.externalID != "" {
		b = b.WithExternalId(a.externalID)
	}
	p, err := b.Build()
	if err != nil {
		return signer.Credentials{}, err
	}
	start := a.now().UTC().Truncate(time.Second)
	type result struct {
		c   *providers.Credentials
		err error
	}
	done := make(chan result, 1)
	go func() {
		c, err := p.GetCredentials()
		done <- result{c, err}
	}()
	var r result
	select {
	case <-ctx.Done():
		return signer.Credentials{}, ctx.Err()
	case r = <-done:
	}
	if r.err != nil {
		return signer.Credentials{}, r.err
	}
	c := signer.Credentials{
		AccessKeyID:     r.c.AccessKeyId,
		AccessKeySecret: r.c.AccessKeySecret,
		SecurityToken:   r.c.SecurityToken,
		Expiration:      start.Add(req.duration),
	}
	if err := c.Validate(start); err != nil {
		return signer.Credentials{}, fmt.Errorf("AssumeRole returned unusable credentials: %w", err)
	}
	return c, nil
}

// stsHTTPOptions splits timeout between credentials-go's connect and read timeouts (whole
// milliseconds, at least 1 each), whose sum bounds its HTTP exchange.
func stsHTTPOptions(timeout time.Duration) *providers.HttpOptions {
	total := max(int(timeout/time.Millisecond), 2)
	return &providers.HttpOptions{ConnectTimeout: total / 2, ReadTimeout: total - total/2}
}

// String describes the STS client for the startup log.
func (a *ramRoleAssumer) String() string {
	endpoint := a.stsEndpoint
	if endpoint == "" && a.stsRegion != "" {
		endpoint = "region " + a.stsRegion + ", vpc " + strconv.FormatBool(a.stsVPC)
	}
	if endpoint == "" {
		endpoint = "credentials-go default"
	}
	return "AssumeRole " + a.roleARN + " via " + endpoint + ", source " + a.source.GetProviderName()
}

// serializedProvider makes a credentials-go provider safe for concurrent use: the default
// chain and most providers update their fields in GetCredentials without a lock.
type serializedProvider struct {
	mu    sync.Mutex
	inner providers.CredentialsProvider
}

// GetCredentials calls the inner provider, one call at a time.
func (p *serializedProvider) GetCredentials() (*providers.Credentials, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.inner.GetCredentials()
}

// GetProviderName returns the inner provider's name.
func (p *serializedProvider) GetProviderName() string { return p.inner.GetProviderName() }
