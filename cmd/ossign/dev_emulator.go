package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/aliyun/credentials-go/credentials/providers"

	"github.com/ossign/ossign/emulator"
	"github.com/ossign/ossign/vending"
)

// startEmulator runs the emulator (OSS + STS) for ossign dev and returns the vending
// configuration against it, and what stops it.
func (o *devOptions) startEmulator(ctx context.Context, origins []string, logger *slog.Logger, stdout io.Writer) (vending.Config, func(), error) {
	dir, removeDir, err := dataDir(o.data)
	if err != nil {
		return vending.Config{}, nil, err
	}
	bucket := o.emulatorBucket()
	emu, err := emulator.New(emulator.Config{DataDir: dir, Buckets: []string{bucket},
		CORS: emulator.CORSRule{AllowedOrigins: origins}, Logger: logger, Faults: o.emulator.Faults, StrictPost: o.emulator.StrictPost})
	if err != nil {
		removeDir()
		return vending.Config{}, nil, err
	}
	es, err := emu.Start(ctx)
	if err != nil {
		removeDir()
		return vending.Config{}, nil, err
	}
	stop := func() { es.Close(); removeDir() }
	cfg, err := devVendingConfig(emu, es, bucket, origins)
	if err != nil {
		stop()
		return vending.Config{}, nil, err
	}
	printEndpoints(stdout, emu, es, dir, origins)
	return cfg, stop, nil
}

// devVendingConfig configures vending against the emulator: its root AccessKey as the
// server's identity, its STS over TLS with its CA, and anonymous browsers (an id per cookie).
func devVendingConfig(emu *emulator.Emulator, es *emulator.Server, bucket string, origins []string) (vending.Config, error) {
	certs, err := vending.LoadCertificates(es.CAFile)
	if err != nil {
		return vending.Config{}, err
	}
	root, err := providers.NewStaticAKCredentialsProviderBuilder().
		WithAccessKeyId(emu.RootAccessKeyID()).WithAccessKeySecret(emu.RootAccessKeySecret()).Build()
	if err != nil {
		return vending.Config{}, err
	}
	return vending.Config{
		Bucket: bucket, Region: emu.Region(), Endpoint: es.OSSEndpoint, RoleARN: emu.RoleARN(),
		STSEndpoint: es.STSHost, STSRootCAs: certs, Source: root,
		Authenticator: vending.DevAnonymous(), AllowedOrigins: origins,
	}, nil
}
