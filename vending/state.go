package vending

// serverState is what a Server keeps between requests: the credentials, the session locks,
// the STS budget and the rate limits. It is in the process's memory, or with
// Config.RedisURL shared through Redis, with the memory as each instance's fallback (the
// new-identity limit stays in memory, as the identities it counts do).
type serverState struct {
	store             credentialStore
	locks             sessionLocks
	budget            stsBudget
	ipLimits          rateLimiter
	userLimits        rateLimiter
	newIdentityLimits rateLimiter
	// link is the connection to Redis; nil in memory.
	link *redisLink
}

// newServerState returns cfg's state (defaults applied), counting Redis's failures in m.
func newServerState(cfg *Config, m *metrics) (serverState, error) {
	store := newMemoryStore(cfg.CacheSize)
	budget := newBucketBudget(cfg.STSBudget)
	ipLimits, userLimits := newLimiterSet(cfg.RateLimits.PerIP), newLimiterSet(cfg.RateLimits.PerUser)
	newIdentityLimits := newLimiterSet(cfg.RateLimits.NewIdentity)
	if cfg.RedisURL == "" {
		return serverState{store: store, locks: processLocks{}, budget: budget, ipLimits: ipLimits, userLimits: userLimits,
			newIdentityLimits: newIdentityLimits}, nil
	}
	link, err := newRedisLink(cfg, m)
	if err != nil {
		return serverState{}, err
	}
	sealer, err := newSealer(cfg.CacheKey)
	if err != nil {
		return serverState{}, err
	}
	return serverState{
		store:  &redisStore{link: link, sealer: sealer, memory: store},
		locks:  &redisLocks{link: link, sealer: sealer},
		budget: &redisBudget{bucket: redisBucket{link: link, op: "budget", limit: cfg.STSBudget}, name: sealer.name("budget", "sts"), memory: budget},
		ipLimits: &redisLimiter{bucket: redisBucket{link: link, op: "limit_ip", limit: cfg.RateLimits.PerIP},
			kind: "ip", sealer: sealer, memory: ipLimits},
		userLimits: &redisLimiter{bucket: redisBucket{link: link, op: "limit_user", limit: cfg.RateLimits.PerUser},
			kind: "user", sealer: sealer, memory: userLimits},
		newIdentityLimits: newIdentityLimits,
		link:              link,
	}, nil
}

// String describes where the state is kept, for the startup log.
func (st serverState) String() string {
	if st.link == nil {
		return "memory"
	}
	return st.link.String()
}

// close closes the connection to Redis, if any.
func (st serverState) close() error {
	if st.link == nil {
		return nil
	}
	return st.link.Close()
}
