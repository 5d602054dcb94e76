package vending

import (
	"context"
	"errors"
	"net"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
)

// redisServer is a test's own redis-server (Debian's package, which ./build.sh test
// installs): on 127.0.0.1, on a port the OS picked, without persistence, killed when the
// test ends.
type redisServer struct {
	t      testing.TB
	port   string
	dir    string
	cmd    *exec.Cmd
	exited chan error
}

// startRedis starts a redis-server for t.
func startRedis(t testing.TB) *redisServer {
	t.Helper()
	_, err := exec.LookPath("redis-server")
	require.NoError(t, err, "the Redis tests need redis-server: ./build.sh test installs it (apt-get install redis-server)")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	_, port, err := net.SplitHostPort(ln.Addr().String())
	require.NoError(t, err)
	require.NoError(t, ln.Close())
	r := &redisServer{t: t, port: port, dir: t.TempDir()}
	r.start()
	t.Cleanup(r.kill)
	return r
}

// URL is the server's redis:// URL.
func (r *redisServer) URL() string { return "redis://127.0.0.1:" + r.port }

// start runs redis-server on the server's port and waits until it answers PING.
func (r *redisServer) start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", r.port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", r.dir, "--loglevel", "warning", "--logfile", "")
	r.cmd.SysProcAttr = killedWithTest()
	r.exited = make(chan error, 1)
	require.NoError(r.t, r.cmd.Start())
	go func(cmd *exec.Cmd, exited chan<- error) { exited <- cmd.Wait() }(r.cmd, r.exited)
	client := r.client()
	defer client.Close()
	for deadline := time.Now().Add(10 * time.Second); ; {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := client.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		select {
		case err := <-r.exited:
			require.FailNow(r.t, "redis-server exited", "%v", err)
		default:
		}
		require.True(r.t, time.Now().Before(deadline), "redis-server on port %s does not answer: %v", r.port, err)
		time.Sleep(10 * time.Millisecond)
	}
}

// kill kills the server (if running) and waits for it to exit.
func (r *redisServer) kill() {
	if r.cmd == nil {
		return
	}
	_ = r.cmd.Process.Signal(syscall.SIGCONT) // a paused server dies too
	_ = r.cmd.Process.Kill()
	<-r.exited
	r.cmd = nil
}

// restart starts a new, empty server on the same port.
func (r *redisServer) restart() {
	r.kill()
	r.start()
}

// pause stops the process (SIGSTOP): connections stay open and nothing answers, like a
// hung server.
func (r *redisServer) pause() { require.NoError(r.t, r.cmd.Process.Signal(syscall.SIGSTOP)) }

// resume continues a paused process.
func (r *redisServer) resume() { require.NoError(r.t, r.cmd.Process.Signal(syscall.SIGCONT)) }

// client returns a new client of the server; the caller closes it.
func (r *redisServer) client() *redis.Client {
	return redis.NewClient(&redis.Options{Addr: net.JoinHostPort("127.0.0.1", r.port), MaxRetries: -1, DisableIdentity: true})
}

// dump returns every key of the server and its value (all of ossign's are strings), but
// those that expire meanwhile.
func (r *redisServer) dump() map[string][]byte {
	r.t.Helper()
	client := r.client()
	defer client.Close()
	ctx := context.Background()
	out := map[string][]byte{}
	iter := client.Scan(ctx, 0, "*", 100).Iterator()
	for iter.Next(ctx) {
		value, err := client.Get(ctx, iter.Val()).Bytes()
		if errors.Is(err, redis.Nil) {
			continue // expired since the scan
		}
		require.NoError(r.t, err, "GET %s", iter.Val())
		out[iter.Val()] = value
	}
	require.NoError(r.t, iter.Err())
	return out
}

// ttl returns the time to live of key.
func (r *redisServer) ttl(key string) time.Duration {
	client := r.client()
	defer client.Close()
	d, err := client.PTTL(context.Background(), key).Result()
	require.NoError(r.t, err)
	return d
}

// newCacheKey returns a random cache key.
func newCacheKey() []byte { return randomBytes(CacheKeySize) }
