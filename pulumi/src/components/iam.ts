// IAM policy documents as JSON strings: the form every aws.iam resource accepts, and the form the
// policy pack parses.
import * as pulumi from '@pulumi/pulumi';

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: string | Record<string, pulumi.Input<string>>;
  readonly Action: string | readonly string[];
  readonly Resource: pulumi.Input<string> | readonly pulumi.Input<string>[];
  readonly Condition?: Record<string, Record<string, pulumi.Input<string | readonly string[]>>>;
}

/** A trust policy that lets one AWS service assume the role. */
export function assumeRolePolicy(principal: { Service: string }): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
  });
}

export function policyDocument(statements: readonly Statement[]): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: '2012-10-17', Statement: statements });
}
