// Command dapr-inject applies Dapr's sidecar injector to one Pod without a cluster: it reads the Pod (JSON) on
// stdin and prints it as the injector's webhook would admit it. It runs the injector's own code
// (patcher.SidecarConfig.GetPatch, as pkg/injector/service's getPodPatchOperations drives it) with the injector's
// settings read from the environment, as the Dapr Helm chart gives them to the injector's container
// (SIDECAR_IMAGE, NAMESPACE, SIDECAR_DROP_ALL_CAPABILITIES, SIDECAR_RUN_AS_NON_ROOT, ...). What the webhook reads from
// the cluster is fixed here: mTLS on (the daprsystem Configuration of k8s/dapr-values.yaml), placeholder trust
// anchors, a projected service-account token.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"syscall"

	injectorConsts "github.com/dapr/dapr/pkg/injector/consts"
	"github.com/dapr/dapr/pkg/injector/patcher"
	"github.com/dapr/dapr/pkg/injector/service"
	jsonpatch "github.com/evanphx/json-patch/v5"
	corev1 "k8s.io/api/core/v1"
)

const placeholderTrustAnchors = "-----BEGIN CERTIFICATE-----\nplaceholder\n-----END CERTIFICATE-----\n"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "dapr-inject:", err)
		os.Exit(1)
	}
}

func run() error {
	// The Pod goes to the real stdout; file descriptor 1 then points at stderr, where Dapr's loggers (which write to
	// os.Stdout) print their lines.
	stdoutFd, err := syscall.Dup(1)
	if err != nil {
		return err
	}
	stdout := os.NewFile(uintptr(stdoutFd), "stdout")
	if err := syscall.Dup3(2, 1, 0); err != nil {
		return err
	}
	config, err := service.GetConfig()
	if err != nil {
		return fmt.Errorf("injector settings: %w", err)
	}
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	pod := &corev1.Pod{}
	if err := json.Unmarshal(raw, pod); err != nil {
		return fmt.Errorf("reading the Pod: %w", err)
	}
	trustDomain := config.ControlPlaneTrustDomain
	if trustDomain == "" {
		trustDomain = "cluster.local"
	}

	sidecar := patcher.NewSidecarConfig(pod)
	sidecar.GetInjectedComponentContainers = func(string, string) ([]corev1.Container, error) { return nil, nil }
	sidecar.Mode = injectorConsts.ModeKubernetes
	sidecar.Namespace = pod.Namespace
	sidecar.MTLSEnabled = true
	sidecar.Identity = pod.Namespace + ":" + pod.Spec.ServiceAccountName
	sidecar.IgnoreEntrypointTolerations = config.GetIgnoreEntrypointTolerations()
	sidecar.ImagePullPolicy = config.GetPullPolicy()
	sidecar.OperatorAddress = patcher.ServiceAPI.Address(config.Namespace, config.KubeClusterDomain)
	sidecar.SentryAddress = patcher.ServiceSentry.Address(config.Namespace, config.KubeClusterDomain)
	sidecar.RunAsNonRoot = config.GetRunAsNonRoot()
	sidecar.RunAsUser = config.GetRunAsUser()
	sidecar.RunAsGroup = config.GetRunAsGroup()
	sidecar.ReadOnlyRootFilesystem = config.GetReadOnlyRootFilesystem()
	sidecar.EnableK8sDownwardAPIs = config.GetEnableK8sDownwardAPIs()
	sidecar.SidecarDropALLCapabilities = config.GetDropCapabilities()
	sidecar.ControlPlaneNamespace = config.Namespace
	sidecar.ControlPlaneTrustDomain = trustDomain
	sidecar.SentrySPIFFEID = "spiffe://" + trustDomain + "/ns/" + config.Namespace + "/dapr-sentry"
	sidecar.CurrentTrustAnchors = []byte(placeholderTrustAnchors)
	sidecar.DisableTokenVolume = false
	sidecar.KubeClusterDomain = config.KubeClusterDomain
	sidecar.SchedulerEnabled = true
	sidecar.EnableNativeSidecar = config.GetNativeSidecarEnabled()
	if config.GetActorsEnabled() && sidecar.PlacementAddress == "" {
		name, actors := config.GetActorsService()
		if name == "placement" {
			sidecar.PlacementAddress = actors.Address(config.Namespace, config.KubeClusterDomain)
		} else {
			sidecar.ActorsService = name + ":" + actors.Address(config.Namespace, config.KubeClusterDomain)
		}
	}
	if name, reminders, ok := config.GetRemindersService(); ok {
		sidecar.RemindersService = name + ":" + reminders.Address(config.Namespace, config.KubeClusterDomain)
	}
	sidecar.SidecarImage = config.SidecarImage
	sidecar.SetFromPodAnnotations()

	patch, err := sidecar.GetPatch()
	if err != nil {
		return fmt.Errorf("the injector's patch: %w", err)
	}
	if len(patch) == 0 {
		_, err = stdout.Write(raw)
		return err
	}
	ops, err := json.Marshal(patch)
	if err != nil {
		return err
	}
	decoded, err := jsonpatch.DecodePatch(ops)
	if err != nil {
		return err
	}
	patched, err := decoded.Apply(raw)
	if err != nil {
		return fmt.Errorf("applying the injector's patch: %w", err)
	}
	_, err = stdout.Write(patched)
	return err
}
