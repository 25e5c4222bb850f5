{{/*
Names. The full name is cut to 40 characters so that every derived name ("-certs-hook",
"-validating", a CronJob's 52-character limit) stays a valid Kubernetes name.
*/}}
{{- define "sliceguard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "sliceguard.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The Service, the webhook's ServiceAccount and the Deployment share the full name. */}}
{{- define "sliceguard.serviceName" -}}
{{- include "sliceguard.fullname" . -}}
{{- end -}}

{{- define "sliceguard.validatingName" -}}
{{- printf "%s-validating" (include "sliceguard.fullname" .) -}}
{{- end -}}

{{- define "sliceguard.mutatingName" -}}
{{- printf "%s-mutating" (include "sliceguard.fullname" .) -}}
{{- end -}}

{{/* The TLS Secret the pods mount, in every certificate mode. */}}
{{- define "sliceguard.secretName" -}}
{{- if eq .Values.certs.mode "provided" -}}
{{- required "certs.provided.secretName is required when certs.mode is provided" .Values.certs.provided.secretName -}}
{{- else -}}
{{- default (printf "%s-tls" (include "sliceguard.fullname" .)) .Values.certs.secretName -}}
{{- end -}}
{{- end -}}

{{/* The cert-manager Certificate whose CA cainjector writes into caBundle. */}}
{{- define "sliceguard.certificateName" -}}
{{- printf "%s-tls" (include "sliceguard.fullname" .) -}}
{{- end -}}

{{- define "sliceguard.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object; pass a dict with "ctx" (the root) and "component". */}}
{{- define "sliceguard.labels" -}}
helm.sh/chart: {{ include "sliceguard.chart" .ctx }}
{{ include "sliceguard.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: sliceguard
{{- end -}}

{{- define "sliceguard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sliceguard.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* The sliceguard image, by digest when one is given. */}}
{{- define "sliceguard.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* Optional pod fields; empty when nothing is set, so use them inside "with". */}}
{{- define "sliceguard.imagePullSecrets" -}}
{{- with .Values.imagePullSecrets -}}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end -}}
{{- end -}}

{{/* failurePolicy Fail means deny on an internal error, Ignore means allow, unless set. */}}
{{- define "sliceguard.onError" -}}
{{- if .Values.webhook.onError -}}
{{- .Values.webhook.onError -}}
{{- else if eq .Values.webhook.failurePolicy "Ignore" -}}
allow
{{- else -}}
deny
{{- end -}}
{{- end -}}

{{/* Namespaces never sent to the webhook: the configured ones plus the release's own. */}}
{{- define "sliceguard.namespaceSelector" -}}
{{- $excluded := uniq (append .Values.webhook.namespaceSelector.excludedNamespaces .Release.Namespace) -}}
{{- with .Values.webhook.namespaceSelector.matchLabels }}
matchLabels:
  {{- toYaml . | nindent 2 }}
{{- end }}
matchExpressions:
  - key: kubernetes.io/metadata.name
    operator: NotIn
    values:
      {{- toYaml $excluded | nindent 6 }}
  {{- with .Values.webhook.namespaceSelector.matchExpressions }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end -}}

{{/*
CEL matchConditions: a write reaches sliceguard only when every condition is true. The user
name comes from the API server's authentication, so a client cannot pretend to be a controller.
*/}}
{{- define "sliceguard.matchConditions" -}}
{{- if .Values.webhook.matchConditions.enabled }}
matchConditions:
  {{- with .Values.webhook.matchConditions.excludedUsers }}
  {{- $users := list }}
  {{- range . }}{{ $users = append $users (printf "'%s'" .) }}{{ end }}
  - name: exclude-control-plane-writers
    expression: {{ printf "!(request.userInfo.username in [%s])" (join ", " $users) | quote }}
  {{- end }}
  {{- with .Values.webhook.matchConditions.extra }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end }}
{{- end -}}

{{/* clientConfig of a webhook; pass a dict with "ctx" and "path". */}}
{{- define "sliceguard.clientConfig" -}}
clientConfig:
  service:
    name: {{ include "sliceguard.serviceName" .ctx }}
    namespace: {{ .ctx.Release.Namespace }}
    path: {{ .path }}
    port: {{ .ctx.Values.webhook.servicePort }}
  {{- if eq .ctx.Values.certs.mode "provided" }}
  {{- /* Whitespace is dropped: a caBundle pasted from `base64` output may be wrapped. */}}
  caBundle: {{ required "certs.provided.caBundle is required when certs.mode is provided" .ctx.Values.certs.provided.caBundle | nospace | quote }}
  {{- end }}
{{- end -}}

{{/*
Annotations of both webhook configurations. In cert-manager mode cainjector fills caBundle; in
self-signed mode `sliceguard certs ensure` patches it, and the template leaves caBundle out so
that neither helm upgrade (three-way merge or server-side apply) nor anyone else resets it.
*/}}
{{- define "sliceguard.webhookAnnotations" -}}
{{- $annotations := dict -}}
{{- if eq .Values.certs.mode "cert-manager" -}}
{{- $_ := set $annotations "cert-manager.io/inject-ca-from" (printf "%s/%s" .Release.Namespace (include "sliceguard.certificateName" .)) -}}
{{- end -}}
{{- $annotations = merge $annotations .Values.webhook.annotations -}}
{{- with $annotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Scheduling constraints shared by every pod of the chart. */}}
{{- define "sliceguard.nodePlacement" -}}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The policy file sliceguard serve reads (docs/policy.md). */}}
{{- define "sliceguard.policy" -}}
apiVersion: sliceguard.dev/v1alpha1
kind: Policy
strict: {{ .Values.policy.strict }}
rules:
  {{- toYaml .Values.policy.rules | nindent 2 }}
exemptions:
  {{- toYaml .Values.policy.exemptions | nindent 2 }}
{{- end -}}

{{/* Hook annotations of the uninstall clean-up's RBAC: created before its Job, gone after it. */}}
{{- define "sliceguard.uninstall.hookAnnotations" -}}
helm.sh/hook: pre-delete
helm.sh/hook-weight: "-10"
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end -}}
