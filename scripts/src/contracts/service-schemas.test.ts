// Where a service still states a contract itself rather than importing @ums/contracts, it must
// state the same thing: auth's bulk actions, limit and result, profile's views and their values.
// Views are compared as JSON Schema, which is what the services' OpenAPI documents publish.
import * as authBulk from '@ums/auth/src/domain/bulk.ts';
import { bulkActions, MAX_BULK_IDS } from '@ums/contracts/bulk';
import type { bulkRequestSchema, BulkResult } from '@ums/contracts/bulk-schemas';
import { accountStatuses, languages, themes } from '@ums/contracts/profile';
import * as contract from '@ums/contracts/profile-schemas';
import * as profileModel from '@ums/profile/src/domain/profile-model.ts';
import * as profile from '@ums/profile/src/routes/schemas.ts';
import { z } from 'zod';

/** True only when each type is assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe('the auth service', () => {
  test('when it runs bulk actions, then they are the contract ones up to the limit', () => {
    expect([...authBulk.bulkActions].sort()).toEqual([...bulkActions].sort());
    expect(authBulk.MAX_BULK_IDS).toBe(MAX_BULK_IDS);
  });

  test('when it answers a bulk request, then a result has the contract shape and a parsed request is one it takes', () => {
    // Checked by the type checker (npm run typecheck): a mismatch does not compile.
    const sameResult: Same<BulkResult, authBulk.BulkResult> = true;
    const requestFits: z.output<typeof bulkRequestSchema> extends authBulk.BulkRequest
      ? true
      : false = true;
    expect([sameResult, requestFits]).toEqual([true, true]);
  });
});

describe('the profile service', () => {
  test.each([
    ['summary', profile.summaryViewSchema, contract.summaryViewSchema],
    ['profile', profile.profileViewSchema, contract.profileViewSchema],
    ['audit entry', profile.auditViewSchema, contract.auditViewSchema],
    ['page', profile.pageOf(z.string()), contract.pageOf(z.string())],
  ])(
    'when it answers with the %s view, then the view is the contract one',
    (_name, own, agreed) => {
      expect(z.toJSONSchema(own)).toEqual(z.toJSONSchema(agreed));
    },
  );

  test('when it stores languages, themes and statuses, then they are the contract ones', () => {
    expect(profileModel.LANGUAGES).toEqual(languages);
    expect(profileModel.THEMES).toEqual(themes);
    expect(profileModel.ACCOUNT_STATUSES).toEqual(accountStatuses);
  });
});
