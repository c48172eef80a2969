import { describe, expect, it } from 'vitest';
import { consolePath, escapeHtml, html, queryString, trustedHtml } from '../../../console/templates.js';

describe('console templates', () => {
  it('when text holding markup and quotes is interpolated, then every character that could end text or an attribute is escaped', () => {
    const value = `<script>alert("x")</script>' & \``;
    expect(html`<p title="${value}">${value}</p>`.markup).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; &amp; &#96;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; &amp; &#96;</p>',
    );
  });

  it('when safe markup, lists, numbers and empty values are interpolated, then markup stays, lists join, and null, undefined and false vanish', () => {
    const items = ['a<b', 'c'].map((item) => html`<li>${item}</li>`);
    // prettier-ignore
    const markup = html`<ul>${items}</ul>${null}${undefined}${false}${0}${true}`.markup;
    expect(markup).toBe('<ul><li>a&lt;b</li><li>c</li></ul>0true');
    expect(html`${trustedHtml('<hr>')}`.markup).toBe('<hr>');
  });

  it('when a plain string looks like markup, then it is still escaped: only html`` and trustedHtml make markup', () => {
    const notMarkup: string = html`<b>x</b>`.markup;
    expect(html`${notMarkup}`.markup).toBe('&lt;b&gt;x&lt;/b&gt;');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  it('when a path segment holds slashes, query or fragment characters, then it stays one segment', () => {
    expect(consolePath('tenants', 'a', 'orders', '10/01?x#y')).toBe('/console/tenants/a/orders/10%2F01%3Fx%23y');
    expect(queryString({ state: 'parked', id: undefined, code: '', cursor: 'a&b' })).toBe('?state=parked&cursor=a%26b');
    expect(queryString({})).toBe('');
  });
});
