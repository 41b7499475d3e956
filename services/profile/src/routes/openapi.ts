import { buildOpenApiDocument } from '@ums/service-kit/openapi';
import type { RouteDef } from '@ums/service-kit/route-table';
import { AVATAR_UPLOAD_PATH } from './avatar-routes.ts';

/**
 * The kit's document for the route table, plus what the table cannot express: the multipart
 * request body of the avatar upload and the binary responses.
 */
export function profileOpenApiDocument(routes: readonly RouteDef[]) {
  const document = buildOpenApiDocument(routes, {
    title: 'UMS profile service',
    version: '1.0.0',
    description:
      'Profiles, preferences, avatars, the admin user directory and export, and the audit log.',
  });
  const upload = document.paths?.[AVATAR_UPLOAD_PATH]?.put;
  if (upload) {
    upload.requestBody = {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['avatar'],
            properties: { avatar: { type: 'string', format: 'binary' } },
            // The upload reads one file part and refuses any other part (avatar.unexpected_field).
            additionalProperties: false,
          },
          encoding: { avatar: { contentType: 'image/png, image/jpeg, image/webp, image/gif' } },
        },
      },
    };
  }
  const image = document.paths?.['/api/v1/users/{id}/avatar']?.get?.responses?.['200'];
  if (image && !('$ref' in image)) {
    image.content = { 'image/webp': { schema: { type: 'string', format: 'binary' } } };
  }
  return document;
}
