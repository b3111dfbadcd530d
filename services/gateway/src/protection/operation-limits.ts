import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { GatewayProtection, TierLimits } from './protection-config';

type RejectCallback = (context: ValidationContext | null, error: GraphQLError) => void;

export type LimitName = 'tokens' | 'directives' | 'depth' | 'aliases' | 'cost';

/** The refusal of an operation over a limit: code QUERY_TOO_COMPLEX, `extensions.limit` names the limit. */
export const queryTooComplex = (limit: LimitName, message: string): GraphQLError =>
  new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', limit } });

// armor words every refusal as a syntax error, which it is not.
const reason = (error: GraphQLError): string => error.message.replace(/^Syntax Error: /, '');

/** Max tokens runs inside the parser, with no validation context to report to: the refusal is thrown. */
const throwRefusal =
  (limit: LimitName): RejectCallback =>
  (_context, error) => {
    throw queryTooComplex(limit, reason(error));
  };

/** Reported like any validation error, so the operation never runs. */
const reportRefusal =
  (limit: LimitName): RejectCallback =>
  (context, error) => {
    context?.reportError(queryTooComplex(limit, reason(error)));
  };

const reported = (limit: LimitName, n: number) => ({
  n,
  onReject: [reportRefusal(limit)],
  propagateOnRejection: false,
});

/**
 * graphql-armor's limits on every operation, before it runs. Parsing stops after `maxTokens` tokens,
 * so a huge or deeply nested document is refused before graphql-js recurses into it. Depth, aliases
 * and cost have a lower ceiling for callers without a bearer token (the "public" tier); a token
 * that then fails verification is refused before anything runs. Field suggestions are masked
 * unless introspection is on.
 */
export const operationLimits = (protection: GatewayProtection): Plugin<YogaInitialContext>[] => {
  const common = new EnvelopArmor<YogaInitialContext>({
    maxTokens: { n: protection.maxTokens, onReject: [throwRefusal('tokens')] },
    maxDirectives: reported('directives', protection.maxDirectives),
    blockFieldSuggestion: { enabled: !protection.introspection },
    maxDepth: { enabled: false },
    maxAliases: { enabled: false },
    costLimit: { enabled: false },
  }).protect().plugins;
  const tiers = {
    authenticated: tierPlugins(protection.authenticated),
    public: tierPlugins(protection.public),
  };
  const byTier: Plugin<YogaInitialContext> = {
    onValidate(payload) {
      const tier = payload.context.request.headers.has('authorization') ? 'authenticated' : 'public';
      // yoga caches validation results by the names of the rules, and armor's rules have none: naming
      // them by tier keeps one tier's verdict on a document from being reused for the other tier.
      const addValidationRule = (rule: ValidationRule) => payload.addValidationRule(named(`${tier}Limits`, rule));
      for (const plugin of tiers[tier]) plugin.onValidate?.({ ...payload, addValidationRule });
    },
  };
  return [...common, byTier];
};

const tierPlugins = (limits: TierLimits) =>
  new EnvelopArmor<YogaInitialContext>({
    maxDepth: reported('depth', limits.maxDepth),
    maxAliases: reported('aliases', limits.maxAliases),
    costLimit: { maxCost: limits.maxCost, onReject: [reportRefusal('cost')], propagateOnRejection: false },
    maxTokens: { enabled: false },
    maxDirectives: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect().plugins;

const named = (name: string, rule: ValidationRule): ValidationRule =>
  ({ [name]: (context: ValidationContext) => rule(context) })[name];
