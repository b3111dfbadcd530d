{{/*
Chart name, truncated to the 63 characters a label value allows.
*/}}
{{- define "sitter.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Release-wide prefix for object names. Kept short enough that "<prefix>-<service>" still fits in 63 characters.
*/}}
{{- define "sitter.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "sitter.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every object of the release.
*/}}
{{- define "sitter.labels" -}}
helm.sh/chart: {{ include "sitter.chart" . }}
{{ include "sitter.selectorLabels" . }}
app.kubernetes.io/part-of: sitter
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Labels that select every pod of the release (NetworkPolicy peers use them).
*/}}
{{- define "sitter.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sitter.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The workloads, in a fixed order. Each has a top-level values key of the same name.
*/}}
{{- define "sitter.serviceNames" -}}
gateway user job booking decliner payments-sandbox
{{- end }}

{{/*
One service's settings: serviceDefaults overlaid with the service's own key.
Usage: include "sitter.serviceValues" (dict "root" $ "name" "job") | fromYaml
*/}}
{{- define "sitter.serviceValues" -}}
{{- $own := index .root.Values .name | default dict }}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.serviceDefaults) (deepCopy $own)) }}
{{- end }}

{{/*
Names of the enabled services, as a space-separated string.
*/}}
{{- define "sitter.enabledServiceNames" -}}
{{- $root := . }}
{{- $enabled := list }}
{{- range $name := splitList " " (include "sitter.serviceNames" $root) }}
{{- $svc := include "sitter.serviceValues" (dict "root" $root "name" $name) | fromYaml }}
{{- if $svc.enabled }}
{{- $enabled = append $enabled $name }}
{{- end }}
{{- end }}
{{- join " " $enabled }}
{{- end }}

{{/*
Dapr app id of a service (defaults to the service key). Usage: include "sitter.appId" (dict "root" $ "name" "job")
*/}}
{{- define "sitter.appId" -}}
{{- $own := index .root.Values .name | default dict }}
{{- default .name $own.appId }}
{{- end }}

{{/*
App ids of the enabled services among a list of service keys, as a list.
Usage: include "sitter.enabledAppIds" (dict "root" $ "names" (list "job" "booking")) | fromJsonArray
*/}}
{{- define "sitter.enabledAppIds" -}}
{{- $root := .root }}
{{- $enabled := splitList " " (include "sitter.enabledServiceNames" $root) }}
{{- $ids := list }}
{{- range $name := .names }}
{{- if has $name $enabled }}
{{- $ids = append $ids (include "sitter.appId" (dict "root" $root "name" $name)) }}
{{- end }}
{{- end }}
{{- toJson $ids }}
{{- end }}

{{/*
Service keys that read some topic straight from Kafka (topics[].kafkaConsumers), as a space-separated string.
*/}}
{{- define "sitter.kafkaConsumerNames" -}}
{{- $names := list }}
{{- range $topic := .Values.topics }}
{{- $names = concat $names ($topic.kafkaConsumers | default list) }}
{{- end }}
{{- join " " (uniq $names) }}
{{- end }}

{{/*
Object name of a per-service resource. Usage: include "sitter.serviceFullname" (dict "root" $ "name" "job")
*/}}
{{- define "sitter.serviceFullname" -}}
{{- printf "%s-%s" (include "sitter.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of a per-service resource.
*/}}
{{- define "sitter.serviceLabels" -}}
{{ include "sitter.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/*
Selector labels of one service's pods.
*/}}
{{- define "sitter.serviceSelectorLabels" -}}
{{ include "sitter.selectorLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/*
Service account of one service.
*/}}
{{- define "sitter.serviceAccountName" -}}
{{- $svc := include "sitter.serviceValues" . | fromYaml }}
{{- if $svc.serviceAccount.create }}
{{- default (include "sitter.serviceFullname" .) $svc.serviceAccount.name }}
{{- else }}
{{- default "default" $svc.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Container image of one service: [registry/]repository:tag, the repository defaulting to sitter-<service>
and the tag to the chart's appVersion.
*/}}
{{- define "sitter.image" -}}
{{- $svc := include "sitter.serviceValues" . | fromYaml }}
{{- $root := .root }}
{{- $repository := default (printf "sitter-%s" .name) $svc.image.repository }}
{{- $tag := default (default $root.Chart.AppVersion $root.Values.image.tag) $svc.image.tag }}
{{- if $root.Values.image.registry }}
{{- printf "%s/%s:%s" (trimSuffix "/" $root.Values.image.registry) $repository $tag }}
{{- else }}
{{- printf "%s:%s" $repository $tag }}
{{- end }}
{{- end }}

{{/*
Name of the Dapr Configuration one service's sidecar loads.
*/}}
{{- define "sitter.daprConfigName" -}}
{{- include "sitter.serviceFullname" . }}
{{- end }}

{{/*
Secret that holds the gateway's API keys: the existing one, or the one the chart creates from inline values.
*/}}
{{- define "sitter.apiKeysSecretName" -}}
{{- $apiKeys := .Values.gateway.apiKeys }}
{{- if $apiKeys.existingSecret }}
{{- $apiKeys.existingSecret }}
{{- else if $apiKeys.values }}
{{- printf "%s-api-keys" (include "sitter.fullname" .) }}
{{- end }}
{{- end }}

{{/*
Topic names every app may publish to and subscribe to, as Dapr pubsub scoping strings
("app=topic1,topic2;app2="). An app listed with no topics may use none; so every scoped app is listed.
*/}}
{{- define "sitter.topicScopes" -}}
{{- $root := . }}
{{- $publishing := list }}
{{- $subscribing := list }}
{{- range $name := splitList " " (include "sitter.enabledServiceNames" $root) }}
{{- $svc := include "sitter.serviceValues" (dict "root" $root "name" $name) | fromYaml }}
{{- if $svc.uses.pubsub }}
{{- $appId := include "sitter.appId" (dict "root" $root "name" $name) }}
{{- $pubs := list }}
{{- $subs := list }}
{{- range $topic := $root.Values.topics }}
{{- if has $name ($topic.publishers | default list) }}
{{- $pubs = append $pubs $topic.name }}
{{- end }}
{{- range $sub := $topic.subscribers | default list }}
{{- if eq $sub.service $name }}
{{- $subs = append $subs $topic.name }}
{{- if $topic.deadLetterTopic }}
{{- $pubs = append $pubs $topic.deadLetterTopic }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- $publishing = append $publishing (printf "%s=%s" $appId (join "," (uniq $pubs))) }}
{{- $subscribing = append $subscribing (printf "%s=%s" $appId (join "," (uniq $subs))) }}
{{- end }}
{{- end }}
{{- toJson (dict "publishing" (join ";" $publishing) "subscribing" (join ";" $subscribing)) }}
{{- end }}

{{/*
Topics one service reads straight from Kafka (topics[].kafkaConsumers), as a list.
Usage: include "sitter.kafkaTopicsOf" (dict "root" $ "name" "decliner") | fromJsonArray
*/}}
{{- define "sitter.kafkaTopicsOf" -}}
{{- $name := .name }}
{{- $topics := list }}
{{- range $topic := .root.Values.topics }}
{{- if has $name ($topic.kafkaConsumers | default list) }}
{{- $topics = append $topics $topic.name }}
{{- end }}
{{- end }}
{{- toJson $topics }}
{{- end }}

{{/*
Where a direct Kafka consumer finds the brokers' CA certificate (dapr.pubsub.kafka.caSecret), as KAFKA_CA_FILE.
*/}}
{{- define "sitter.kafkaCaDir" -}}
/etc/sitter/kafka-ca
{{- end }}

{{/*
A service's Dapr access-control operations for one caller: callerOperations' "VERB /path" entries grouped by
path, as Dapr's operations list. Usage: include "sitter.callerOperations" (list "GET /a" "POST /a") | fromJsonArray
*/}}
{{- define "sitter.callerOperations" -}}
{{- $verbs := dict }}
{{- $paths := list }}
{{- range $entry := . }}
{{- $parts := splitList " " (trim $entry) }}
{{- if or (ne (len $parts) 2) (not (hasPrefix "/" (index $parts 1))) }}
{{- fail (printf "callerOperations: %q is not \"VERB /path\"" $entry) }}
{{- end }}
{{- $path := index $parts 1 }}
{{- if not (hasKey $verbs $path) }}
{{- $paths = append $paths $path }}
{{- $_ := set $verbs $path list }}
{{- end }}
{{- $_ := set $verbs $path (append (get $verbs $path) (upper (index $parts 0))) }}
{{- end }}
{{- $operations := list }}
{{- range $path := $paths }}
{{- $operations = append $operations (dict "name" $path "httpVerb" (get $verbs $path) "action" "allow") }}
{{- end }}
{{- toJson $operations }}
{{- end }}

{{/*
The `helm test` image: tests.smoke.image.registry, else image.registry, else Docker Hub.
*/}}
{{- define "sitter.testImage" -}}
{{- $image := .Values.tests.smoke.image }}
{{- $registry := default .Values.image.registry $image.registry }}
{{- if $registry }}
{{- printf "%s/%s:%s" (trimSuffix "/" $registry) $image.repository $image.tag }}
{{- else }}
{{- printf "%s:%s" $image.repository $image.tag }}
{{- end }}
{{- end }}
