{{/* Helpers of the self-signed certificate jobs (`sliceguard certs ensure`). */}}

{{/*
RBAC of `sliceguard certs ensure`. A create request carries no object name, so RBAC cannot limit
`create` to one Secret by resourceNames; every other verb is limited to the TLS Secret.
*/}}
{{- define "sliceguard.certs.roleRules" -}}
rules:
  - apiGroups: [""]
    resources: [secrets]
    verbs: [create]
  - apiGroups: [""]
    resources: [secrets]
    resourceNames: [{{ include "sliceguard.secretName" . | quote }}]
    verbs: [get, update, patch]
{{- end -}}

{{- define "sliceguard.certs.clusterRoleRules" -}}
rules:
  - apiGroups: [admissionregistration.k8s.io]
    resources: [validatingwebhookconfigurations]
    resourceNames: [{{ include "sliceguard.validatingName" . | quote }}]
    verbs: [get, update, patch]
  {{- if .Values.webhook.mutating.enabled }}
  - apiGroups: [admissionregistration.k8s.io]
    resources: [mutatingwebhookconfigurations]
    resourceNames: [{{ include "sliceguard.mutatingName" . | quote }}]
    verbs: [get, update, patch]
  {{- end }}
{{- end -}}

{{/*
Arguments of `sliceguard certs ensure`; pass a dict with "ctx" and "patch": "all" names every
webhook configuration of the release, "existing" only those that exist in the cluster now (a
pre-install hook runs before helm creates them; `helm template` and Argo CD see none), "none" none.
*/}}
{{- define "sliceguard.certs.args" -}}
{{- $configs := list -}}
{{- if ne .patch "none" -}}
{{- $wanted := list (list "ValidatingWebhookConfiguration" "validating" (include "sliceguard.validatingName" .ctx)) -}}
{{- if .ctx.Values.webhook.mutating.enabled -}}
{{- $wanted = append $wanted (list "MutatingWebhookConfiguration" "mutating" (include "sliceguard.mutatingName" .ctx)) -}}
{{- end -}}
{{- range $wanted -}}
{{- if or (eq $.patch "all") (lookup "admissionregistration.k8s.io/v1" (index . 0) "" (index . 2)) -}}
{{- /* "validating/NAME": certs ensure looks up only that kind, which is all the RBAC grants. */ -}}
{{- $configs = append $configs (printf "%s/%s" (index . 1) (index . 2)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
- certs
- ensure
- --secret
- {{ include "sliceguard.secretName" .ctx | quote }}
- --namespace
- {{ .ctx.Release.Namespace | quote }}
- --service
- {{ include "sliceguard.serviceName" .ctx | quote }}
{{- range $configs }}
- --webhook-config
- {{ . | quote }}
{{- end }}
{{- range .ctx.Values.certs.selfSigned.extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end -}}

{{/* The pod spec of a certificate Job; pass a dict with "ctx", "serviceAccount" and "patch". */}}
{{- define "sliceguard.certs.podSpec" -}}
serviceAccountName: {{ .serviceAccount }}
restartPolicy: OnFailure
{{- with include "sliceguard.imagePullSecrets" .ctx }}
{{ . }}
{{- end }}
securityContext:
  {{- toYaml .ctx.Values.podSecurityContext | nindent 2 }}
{{- include "sliceguard.nodePlacement" .ctx }}
containers:
  - name: certs
    image: {{ include "sliceguard.image" .ctx }}
    imagePullPolicy: {{ .ctx.Values.image.pullPolicy }}
    args:
      {{- include "sliceguard.certs.args" . | nindent 6 }}
    securityContext:
      {{- toYaml .ctx.Values.securityContext | nindent 6 }}
    resources:
      {{- toYaml .ctx.Values.jobResources | nindent 6 }}
    volumeMounts:
      - name: tmp
        mountPath: /tmp
{{- /* The root filesystem is read-only; anything temporary goes to a small emptyDir. */}}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: 16Mi
{{- end -}}

{{/*
The two identities of `sliceguard certs ensure` in self-signed mode: "certs" (release objects,
used by the renewal CronJob and the post-install/post-upgrade Job) and "certs-hook" (hook
objects that exist before anything else, for the pre-install/pre-upgrade Job).
*/}}
{{- define "sliceguard.certs.identities" -}}
- {name: certs, hook: false}
- {name: certs-hook, hook: true}
{{- end -}}

{{/* Hook annotations of the pre-install RBAC objects: created first, removed once the Job succeeded. */}}
{{- define "sliceguard.certs.hookAnnotations" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: "-10"
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end -}}
